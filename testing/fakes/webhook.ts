/**
 * A loopback HTTPS webhook that records what it receives, for WebhookNotification and the building
 * block's maintenance notifications. Its URL has a secret path, as real webhook URLs do; a request to
 * another path gets 404. Scripted faults answer an error (or drop the connection) without accepting.
 *
 * Standalone use: `const hook = await new FakeWebhook().start()`; put `hook.url` (and `hook.ca`) in the
 * Secret the notification names; `hook.accepted()` lists what was delivered.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultPlan } from './faults.js';
import { FakeServer, sendJSON } from './http-server.js';
import { selfSignedLoopback, type SelfSigned } from './tls.js';

/** One request the webhook received, whatever it answered. */
export interface ReceivedNotification {
  receivedAt: string;
  idempotencyKey?: string;
  body: unknown;
  /** What the webhook answered; 0 when it dropped the connection. */
  status: number;
}

export class FakeWebhook extends FakeServer {
  readonly faults = new FaultPlan();
  readonly received: ReceivedNotification[] = [];
  private readonly path = `/hooks/${randomBytes(12).toString('hex')}`;

  constructor(private readonly tls: SelfSigned = selfSignedLoopback()) {
    super('fake webhook url', tls);
  }

  /** The webhook URL, secret path included. */
  get url(): string {
    return `${this.baseURL}${this.path}`;
  }

  /** The PEM certificate that verifies the webhook (it is its own CA). */
  get ca(): string {
    return this.tls.cert;
  }

  /** Every request the webhook accepted (answered 2xx), repeats included, in order. */
  accepted(): ReceivedNotification[] {
    return this.received.filter((r) => r.status >= 200 && r.status < 300);
  }

  /**
   * The notifications as a receiver that honours Idempotency-Key sees them: the first accepted
   * request of each key. A repeat happens only when an answer was lost on its way back.
   */
  notifications(): ReceivedNotification[] {
    const seen = new Set<string | undefined>();
    return this.accepted().filter((r) => {
      if (r.idempotencyKey !== undefined && seen.has(r.idempotencyKey)) return false;
      seen.add(r.idempotencyKey);
      return true;
    });
  }

  protected async handle(request: IncomingMessage, body: string, response: ServerResponse): Promise<void> {
    if (new URL(request.url ?? '/', 'https://fake').pathname !== this.path)
      return sendJSON(response, 404, { message: 'not found' });
    if (request.method !== 'POST') return sendJSON(response, 405, { message: 'POST only' });
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return sendJSON(response, 400, { message: 'body is not JSON' });
    }
    const key = request.headers['idempotency-key'];
    const record = (status: number) =>
      this.received.push({
        receivedAt: new Date().toISOString(),
        ...(typeof key === 'string' ? { idempotencyKey: key } : {}),
        body: parsed,
        status,
      });
    const fault = this.faults.next(true);
    if (fault?.kind === 'status') {
      record(fault.status);
      return sendJSON(response, fault.status, { message: 'Injected fault' });
    }
    if (fault?.kind === 'drop') {
      record(0);
      request.socket.destroy();
      return;
    }
    // Accepted, then the answer lost on the way back: the sender cannot know it arrived.
    record(202);
    if (fault?.kind === 'crash-after-perform') {
      request.socket.destroy();
      return;
    }
    sendJSON(response, 202, { accepted: true });
  }
}
