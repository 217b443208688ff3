/**
 * The Kubernetes minor version the stack targets: the API of cdk8s-plus-28 (package.json). The
 * kubelet, its embedded cAdvisor and the API server are the cluster's, not the stack's, so their
 * fixtures follow this version rather than an image of lib/core/images.ts.
 */
export const KUBERNETES_MINOR = '1.28';
/** The last 1.28 patch release; its tag in the staging repositories is `kubernetes-1.28.15`. */
export const KUBERNETES_PATCH = '1.28.15';

/** Why the kubelet's own files could not be read at the pinned version. */
export const KUBERNETES_REPO_UNREADABLE =
  'github.com/kubernetes/kubernetes (pkg/kubelet) could not be read at v1.28: its snapshot (1.9 GB) is larger than the 500 MiB the fetch tool brings, and the kubelet has no staging repository';
