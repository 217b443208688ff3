/**
 * The profile types every workload shares: resources, storage and how replicas spread over nodes.
 * Each component's own profile type (lib/components/<name>/profile.ts) builds on these.
 */

/** CPU and memory for one container, as Kubernetes quantities (`100m`, `256Mi`). */
export interface Resources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** Where a component keeps its data. */
export type Storage =
  /** Lost with the pod: fine for a laptop cluster. */
  | { readonly kind: 'emptyDir'; readonly sizeLimitGi?: number }
  /** A PersistentVolumeClaim per replica. */
  | {
      readonly kind: 'pvc';
      readonly sizeGi: number;
      /** @default - the cluster's default storage class */
      readonly storageClass?: string;
    };

/** How replicas of one workload are spread over nodes. */
export type SpreadPolicy =
  /** Refuse to schedule two replicas on one node: losing a node costs at most one replica. */
  | 'required'
  /** Prefer distinct nodes, but schedule anyway on a small cluster. */
  | 'preferred';

export interface WorkloadProfile {
  readonly replicas: number;
  readonly resources: Resources;
}

/** A workload whose replica count is not the profile's to choose (one per node, or one by design). */
export type AgentProfile = Omit<WorkloadProfile, 'replicas'>;
