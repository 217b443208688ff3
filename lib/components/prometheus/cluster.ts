/**
 * The targets every Kubernetes cluster offers: the API server, the kubelets and their cAdvisor,
 * and the annotated Services and pods of the monitored namespaces. Prometheus reaches the first
 * three through the API server, the annotated ones directly on whatever port they annotate.
 */
import { Flow, FlowContext, flow, outside, pods } from '../network-policies/flows';
import { NetworkProfile, annotatedScrapeNamespaces } from '../network-policies/profile';
import { ScrapeJob, annotatedPodsJob, annotatedServicesJob, apiServerJob, cadvisorJob, kubeletJob } from './scrape';

export class ClusterTargets {
  /** The monitored namespaces only: the ones the NetworkPolicy lets Prometheus reach on any port. */
  private readonly annotated: readonly string[];

  constructor(network: NetworkProfile) {
    this.annotated = annotatedScrapeNamespaces(network);
  }

  public scrapeJobs(): ScrapeJob[] {
    return [
      apiServerJob(),
      kubeletJob(),
      cadvisorJob(),
      ...(this.annotated.length ? [annotatedServicesJob(this.annotated), annotatedPodsJob(this.annotated)] : []),
    ];
  }

  public flows(net: FlowContext): Flow[] {
    return [
      flow(pods(net.scraper), net.apiServer, net.apiPorts, 'service discovery, API server metrics, kubelet and cAdvisor metrics through the API server proxy'),
      ...(this.annotated.length
        ? [
            flow(
              pods(net.scraper),
              outside(
                'monitored namespaces',
                this.annotated.map((namespace) => ({ namespace })),
              ),
              undefined,
              'annotated Services and pods of the monitored system, on whatever port they annotate',
            ),
          ]
        : []),
    ];
  }
}
