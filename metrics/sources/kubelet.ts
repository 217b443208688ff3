/**
 * The kubelet's own metrics. They are defined in github.com/kubernetes/kubernetes
 * (pkg/kubelet/metrics), which could not be read at the pinned version: they stay untraced.
 */
import { KUBERNETES_MINOR, KUBERNETES_PATCH, KUBERNETES_REPO_UNREADABLE } from './kubernetes';
import { SourceFixture } from './types';

export const KUBELET_SOURCE: SourceFixture = {
  component: 'kubelet',
  catalogSources: ['kubelet'],
  repository: 'kubernetes/kubernetes',
  tag: `v${KUBERNETES_PATCH}`,
  pin: { kind: 'kubernetes', minor: KUBERNETES_MINOR, how: 'the kubelet of every node of the target cluster' },
  metrics: [],
  untraced: [
    { name: 'kubelet_volume_stats_used_bytes', reason: KUBERNETES_REPO_UNREADABLE },
    { name: 'kubelet_volume_stats_capacity_bytes', reason: KUBERNETES_REPO_UNREADABLE },
    { name: 'kubelet_running_pods', reason: KUBERNETES_REPO_UNREADABLE },
  ],
};
