/**
 * The `logging.kibana` part of a profile: its type, the keys it may carry and its checks. Every
 * field is required (replicas and resources), so there is no default to keep here.
 */
import type { ProfileChecks } from '../../core/checks';
import type { WorkloadProfile } from '../../core/workload';
import { KeySchema, WORKLOAD_KEYS } from '../../core/keys';

export type KibanaProfile = WorkloadProfile;

export const KIBANA_KEYS: KeySchema<KibanaProfile> = WORKLOAD_KEYS;

/** Checks the Kibana part of a profile, found at `at`. */
export function validateKibanaProfile(p: KibanaProfile, { checkWorkload }: ProfileChecks, at = 'logging.kibana'): void {
  checkWorkload(at, p);
}
