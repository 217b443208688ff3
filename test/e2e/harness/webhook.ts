/**
 * A local webhook standing in for every receiver: Alertmanager posts to `/<receiver name>`, and
 * each notification is kept with the time it arrived. A receiver can be made to fail (answer an
 * HTTP status, or hang without answering) while the others keep answering; every request is kept
 * as an attempt, answered or not.
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
  /** The aggregation group the notification belongs to (what Opsgenie's alias is made from). */
  readonly groupKey: string;
}

/** How a failing receiver answers: with an HTTP status, or not at all (the request hangs). */
export type FailureMode = { readonly status: number } | 'hang';

/** One request to the webhook, delivered or not. */
export interface Attempt {
  readonly receiver: string;
  readonly at: number;
  readonly externalURL: string;
  /** The aggregation group the request notifies of. */
  readonly groupKey: string;
  /** The status answered, or 'hung' for a request left unanswered. */
  readonly answer: number | 'hung';
  /** When a hung request's connection closed: when its sender gave up on it. */
  closedAt?: number;
}

export class WebhookRecorder {
  public readonly notifications: Notification[] = [];
  public readonly attempts: Attempt[] = [];
  public port = 0;
  private server?: http.Server;
  private readonly failures = new Map<string, FailureMode>();

  /**
   * Makes `receiver` fail every request from now on, until `recover`. A request left hanging stays
   * so after recovery too, as a black-holed connection would: its sender has to give up on it.
   */
  public fail(receiver: string, mode: FailureMode): void {
    this.failures.set(receiver, mode);
  }

  /** `receiver` answers again from now on. */
  public recover(receiver: string): void {
    this.failures.delete(receiver);
  }

  public async start(): Promise<number> {
    // No request timeout of its own: a hung request lasts until its sender gives up on it.
    this.server = http.createServer({ requestTimeout: 0 }, (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const receiver = decodeURIComponent((req.url ?? '/').slice(1));
        let msg: any;
        try {
          msg = JSON.parse(body);
        } catch {
          res.writeHead(400).end('bad json');
          return;
        }
        const at = Date.now();
        const externalURL: string = msg.externalURL ?? '';
        const groupKey: string = msg.groupKey ?? '';
        const failure = this.failures.get(receiver);
        if (failure === 'hang') {
          const attempt: Attempt = { receiver, at, externalURL, groupKey, answer: 'hung' };
          this.attempts.push(attempt);
          res.on('close', () => (attempt.closedAt = Date.now()));
          return;
        }
        if (failure) {
          this.attempts.push({ receiver, at, externalURL, groupKey, answer: failure.status });
          res.writeHead(failure.status).end('failing on purpose');
          return;
        }
        this.attempts.push({ receiver, at, externalURL, groupKey, answer: 200 });
        this.notifications.push({
          receiver,
          at,
          status: msg.status,
          alerts: msg.alerts ?? [],
          groupLabels: msg.groupLabels ?? {},
          externalURL,
          groupKey,
        });
        res.writeHead(200).end('ok');
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
