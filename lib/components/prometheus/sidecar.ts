/**
 * What joins a Prometheus pod from outside the Prometheus folder: a sidecar's description (its
 * containers, volumes, Service ports and the flags it asks of Prometheus), and the read path
 * Grafana takes when something else answers its queries.
 */
import type { k8s } from 'cdk8s-plus-28';

/** What a sidecar is told about the Prometheus pod it joins. */
export interface PrometheusPod {
  /** The volume that holds the TSDB. */
  readonly dataVolume: string;
  /** Where the TSDB is mounted (`--storage.tsdb.path`). */
  readonly dataDir: string;
  /** Prometheus's HTTP port, on localhost. */
  readonly port: number;
}

/** A sidecar of the Prometheus pods: its containers and volumes, and what it asks of Prometheus. */
export interface PrometheusSidecar {
  readonly containers: readonly k8s.Container[];
  readonly volumes: readonly k8s.Volume[];
  /** Ports the headless Service gains, so that clients find the sidecar of each pod. */
  readonly servicePorts: readonly k8s.ServicePort[];
  /** Arguments added to Prometheus's own. */
  readonly prometheusArgs: readonly string[];
  /** The sidecar's configuration: a change rolls the pods. */
  readonly configText: string;
}

/** How Grafana reaches the metrics when something other than Prometheus answers its queries. */
export interface MetricsReadPath {
  readonly url: string;
  /** jsonData beside Prometheus's own (timeInterval, exemplar links). */
  readonly jsonData?: Readonly<Record<string, unknown>>;
}
