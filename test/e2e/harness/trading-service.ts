/**
 * A stand-in for one trading service: it exposes the catalog metrics it is given (the contract of
 * metrics/trading.ts, with the catalog's label names) with prom-client, answers `/health`, `/ready`
 * and the dry-run synthetic order, and lets the test decide how it behaves (error rate, risk-limit
 * utilisation, failing health or readiness, failing scrapes). Given the catalog metrics of another
 * source (InfluxDB, kafka_exporter, Jaeger), it stands in for that component's `/metrics`.
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import { MetricDefinition } from '../../../lib/metrics/types';

export interface StandInOptions {
  readonly name: string;
  /** The catalog entries this service exposes. */
  readonly metrics: readonly MetricDefinition[];
  /** Simulated requests per second. @default 100 */
  readonly requestsPerSecond?: number;
}

type AnyMetric = Counter<string> | Gauge<string> | Histogram<string> | Summary<string>;

export class StandInService {
  public readonly name: string;
  public port = 0;
  /** Fraction of simulated requests answered 5xx. */
  public errorRate = 0.01;
  public healthy = true;
  public ready = true;
  public syntheticOrderAccepted = true;
  private failScrapes = 0;
  private readonly registry = new Registry();
  private readonly metrics = new Map<string, AnyMetric>();
  private server?: http.Server;
  private traffic?: NodeJS.Timeout;
  private readonly rps: number;

  constructor(opts: StandInOptions) {
    this.name = opts.name;
    this.rps = opts.requestsPerSecond ?? 100;
    for (const m of opts.metrics) {
      const cfg = { name: m.name, help: m.help, labelNames: [...m.labels], registers: [this.registry] };
      switch (m.type) {
        case 'counter':
          this.metrics.set(m.name, new Counter(cfg));
          break;
        case 'histogram':
          this.metrics.set(m.name, new Histogram({ ...cfg, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] }));
          break;
        case 'summary':
          this.metrics.set(m.name, new Summary(cfg));
          break;
        default:
          this.metrics.set(m.name, new Gauge(cfg));
      }
    }
  }

  /** Whether this stand-in exposes the catalog metric `name`. */
  public exposes(name: string): boolean {
    return this.metrics.has(name);
  }

  public gauge(name: string): Gauge<string> {
    const g = this.metrics.get(name);
    if (!(g instanceof Gauge)) throw new Error(`${this.name} exposes no gauge ${name}`);
    return g;
  }

  /** The next `n` scrapes of /metrics answer 500. */
  public failNextScrapes(n: number): void {
    this.failScrapes = n;
  }

  public async start(port = 0): Promise<number> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    // Simulated traffic: every 100 ms a tenth of a second's requests, errorRate of them 5xx.
    const requests = this.metrics.get('http_requests_total') as Counter<string> | undefined;
    const duration = this.metrics.get('http_request_duration_seconds') as Histogram<string> | undefined;
    // The SLIs of the order and market data services: executions at 20 ms, market data updated
    // continuously (its age at scrape time stays far under the 1 s objective).
    const execution = this.metrics.get('grekko_order_execution_duration_seconds') as Histogram<string> | undefined;
    const lastUpdate = this.metrics.get('grekko_market_data_last_update_timestamp_seconds') as Gauge<string> | undefined;
    let carry = 0;
    this.traffic = setInterval(() => {
      const n = this.rps / 10;
      carry += n * this.errorRate;
      const errors = Math.floor(carry);
      carry -= errors;
      requests?.inc({ method: 'POST', route: '/api/v1/orders', code: '200' }, n - errors);
      if (errors > 0) requests?.inc({ method: 'POST', route: '/api/v1/orders', code: '500' }, errors);
      duration?.observe({ method: 'POST', route: '/api/v1/orders', code: '200' }, 0.02);
      execution?.observe({ venue: 'coinbase', order_type: 'limit' }, 0.02);
      lastUpdate?.set({ venue: 'coinbase', symbol: 'BTC-USD' }, Date.now() / 1000);
    }, 100);
    return this.port;
  }

  /** Stops answering at all, as a crashed process would. */
  public async stop(): Promise<void> {
    if (this.traffic) clearInterval(this.traffic);
    this.traffic = undefined;
    const s = this.server;
    this.server = undefined;
    if (s) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const send = (status: number, body: string, type = 'text/plain') => {
      res.writeHead(status, { 'Content-Type': type });
      res.end(body);
    };
    const url = req.url ?? '/';
    if (url === '/metrics') {
      if (this.failScrapes > 0) {
        this.failScrapes--;
        return send(500, 'scrape failed on purpose');
      }
      return send(200, await this.registry.metrics(), this.registry.contentType);
    }
    if (url === '/health') return this.healthy ? send(200, 'ok') : send(503, 'unhealthy');
    if (url === '/ready') return this.ready ? send(200, 'ready') : send(503, 'not ready');
    if (url === '/api/v1/orders/synthetic' && req.method === 'POST') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const order = JSON.parse(body || '{}');
      if (req.headers['x-dry-run'] !== 'true' || order.dry_run !== true) return send(400, '{"error":"synthetic orders must be dry-run"}', 'application/json');
      return this.syntheticOrderAccepted
        ? send(200, JSON.stringify({ status: 'accepted', dry_run: true, symbol: order.symbol, price: '64000.00' }), 'application/json')
        : send(200, JSON.stringify({ status: 'rejected', dry_run: true, reason: 'market data stale' }), 'application/json');
    }
    send(404, 'not found');
  }
}
