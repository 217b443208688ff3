/** The `prometheus` part of a profile: its type, the keys it may carry and its checks. */
import { KeySchema, RESOURCES_KEYS, STORAGE_KEYS, VALUE } from '../../core/keys';
import type { ProfileChecks } from '../../core/checks';
import type { Storage, WorkloadProfile } from '../../core/workload';

export interface PrometheusProfile extends WorkloadProfile {
  readonly storage: Storage;
  /** How long samples are kept, as a Prometheus duration (`2d`, `30d`). */
  readonly retention: string;
  /** Cap on the TSDB size; blocks beyond it are deleted first. @default - no size cap */
  readonly retentionSizeGi?: number;
  /**
   * The address people open Prometheus at (through the ingress), such as
   * `https://prometheus.example.com`: the "source" link of every notification (the alert's
   * generator URL) points there. Required in Phase 3. Routes stay at `/`: an ingress serving a
   * path must strip it. @default - the in-cluster address, http://prometheus.<namespace>.svc:9090
   */
  readonly externalUrl?: string;
  /**
   * Scrape intervals of their own, by the `job` label of the targets: a scrape job's name, or the
   * `job` an annotated target gets (`order-service`). Paths that page are worth scraping more often
   * than the rest: detection waits for a scrape (lib/components/prometheus/job-intervals.ts).
   * @default - every job at the global scrape interval, but those that set their own
   */
  readonly scrapeIntervals?: Readonly<Record<string, string>>;
}

export const PROMETHEUS_KEYS: KeySchema<PrometheusProfile> = {
  fields: {
    replicas: VALUE,
    resources: RESOURCES_KEYS,
    storage: STORAGE_KEYS,
    retention: VALUE,
    retentionSizeGi: VALUE,
    externalUrl: VALUE,
    scrapeIntervals: VALUE,
  },
};

/** Checks the `prometheus` part of a profile. */
export function validatePrometheusProfile(p: PrometheusProfile, { fail, checkWorkload, checkStorage, checkDuration, checkPositive }: ProfileChecks): void {
  checkWorkload('prometheus', p);
  checkStorage('prometheus.storage', p.storage);
  checkDuration('prometheus.retention', p.retention, { positive: true });
  if (p.retentionSizeGi !== undefined) checkPositive('prometheus.retentionSizeGi', p.retentionSizeGi);
  if (p.storage.kind === 'pvc' && p.retentionSizeGi !== undefined && p.retentionSizeGi >= p.storage.sizeGi) {
    fail('prometheus.retentionSizeGi', p.retentionSizeGi, `keep it below the volume size (${p.storage.sizeGi} Gi) so the TSDB never fills the disk`);
  }
}
