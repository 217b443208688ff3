/**
 * A local webhook standing in for every receiver: Alertmanager posts to `/<receiver name>`, and
 * each notification is kept with the time it arrived.
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';

export interface WebhookAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

export interface Notification {
  /** The receiver, from the request path. */
  readonly receiver: string;
  readonly at: number;
  readonly status: 'firing' | 'resolved';
  readonly alerts: readonly WebhookAlert[];
  readonly groupLabels: Record<string, string>;
  /** The sending Alertmanager's external URL: which peer of a mesh sent it. */
  readonly externalURL: string;
}

export class WebhookRecorder {
  public readonly notifications: Notification[] = [];
  public port = 0;
  private server?: http.Server;

  public async start(): Promise<number> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        try {
          const msg = JSON.parse(body);
          this.notifications.push({
            receiver: decodeURIComponent((req.url ?? '/').slice(1)),
            at: Date.now(),
            status: msg.status,
            alerts: msg.alerts ?? [],
            groupLabels: msg.groupLabels ?? {},
            externalURL: msg.externalURL ?? '',
          });
          res.writeHead(200).end('ok');
        } catch {
          res.writeHead(400).end('bad json');
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  public url(receiver: string): string {
    return `http://127.0.0.1:${this.port}/${encodeURIComponent(receiver)}`;
  }

  /** Alerts named `alertname` that arrived with `status`, after `since`, with the receiver that got them. */
  public find(alertname: string, status: 'firing' | 'resolved', since = 0): Array<{ receiver: string; at: number; alert: WebhookAlert; externalURL: string }> {
    return this.notifications
      .filter((n) => n.at >= since)
      .flatMap((n) =>
        n.alerts
          .filter((a) => a.labels.alertname === alertname && a.status === status)
          .map((alert) => ({ receiver: n.receiver, at: n.at, alert, externalURL: n.externalURL })),
      );
  }

  public async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  }
}
