/**
 * Test doubles for the layer BELOW the transaction layer (a flow that records what it was asked to
 * send, a transport that delivers what a test injects) and a recording transaction user. The
 * transaction layer itself always runs for real.
 */
import type { SipMessage, SipRequest, SipResponse } from '../message/types';
import { parseMessage } from '../message/parse';
import type { Endpoint, Flow, TransportEvents, TransportLayer } from '../transport/types';
import type { ServerTransaction, TransactionUser } from './types';

export class RecordingFlow implements Flow {
  readonly id: string;
  readonly transport = 'TCP' as const;
  readonly local: Endpoint = { address: '127.0.0.1', port: 5060 };
  readonly remote: Endpoint = { address: '127.0.0.1', port: 40000 };
  readonly inbound = true;
  readonly attributes = new Map<string, unknown>();
  readonly sent: SipMessage[] = [];
  closed = false;
  /** When false, `send` refuses like a full or dead socket. */
  accepting = true;
  private readonly listeners: Array<(reason: string) => void> = [];

  constructor(id = 'flow-' + Math.random().toString(36).slice(2)) {
    this.id = id;
  }

  send(message: SipMessage): boolean {
    if (this.closed || !this.accepting) return false;
    this.sent.push(message);
    return true;
  }

  close(reason = 'closed'): void {
    if (this.closed) return;
    this.closed = true;
    for (const l of this.listeners) l(reason);
  }

  onClose(listener: (reason: string) => void): void {
    this.listeners.push(listener);
  }

  responses(): SipResponse[] {
    return this.sent.filter((m): m is SipResponse => m.kind === 'response');
  }

  requests(): SipRequest[] {
    return this.sent.filter((m): m is SipRequest => m.kind === 'request');
  }
}

export class InjectingTransport implements TransportLayer {
  private readonly handlers: { [E in keyof TransportEvents]: Array<TransportEvents[E]> } = { message: [], flowOpen: [], flowClose: [] };

  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.handlers[event].push(listener);
  }

  deliver(message: SipMessage | string, flow: Flow): void {
    const m = typeof message === 'string' ? parse(message) : message;
    for (const h of this.handlers.message) h(m, flow);
  }

  closeFlow(flow: RecordingFlow, reason = 'peer closed'): void {
    flow.close(reason);
    for (const h of this.handlers.flowClose) h(flow, reason);
  }

  getFlow(): Flow | undefined {
    return undefined;
  }

  connect(): Promise<Flow> {
    return Promise.reject(new Error('not in tests'));
  }

  async close(): Promise<void> {}
}

export class RecordingUser implements TransactionUser {
  readonly requests: ServerTransaction[] = [];
  readonly acks: SipRequest[] = [];
  readonly strays: SipResponse[] = [];
  /** What to do with each new server transaction (default: keep it for the test). */
  handle: (tx: ServerTransaction) => void = () => {};

  onRequest(tx: ServerTransaction): void {
    this.requests.push(tx);
    this.handle(tx);
  }

  onAck(ack: SipRequest): void {
    this.acks.push(ack);
  }

  onStrayResponse(response: SipResponse): void {
    this.strays.push(response);
  }
}

/** Parses a message written with `\n` line ends. */
export function parse(text: string): SipMessage {
  return parseMessage(Buffer.from(text.replace(/\r?\n/g, '\r\n')));
}

export function request(text: string): SipRequest {
  const m = parse(text);
  if (m.kind !== 'request') throw new Error('not a request');
  return m;
}

export function invite(branch = 'z9hG4bKinv1', opts: { cseq?: number; toTag?: string; method?: string; extra?: string } = {}): string {
  const method = opts.method ?? 'INVITE';
  const to = opts.toTag ? `<sip:bob@ocs.test>;tag=${opts.toTag}` : '<sip:bob@ocs.test>';
  return `${method} sip:bob@ocs.test SIP/2.0
Via: SIP/2.0/TCP 127.0.0.1:40000;branch=${branch}
Max-Forwards: 70
From: <sip:alice@ocs.test>;tag=a1
To: ${to}
Call-ID: call-1@test
CSeq: ${opts.cseq ?? 1} ${method}
${opts.extra ?? ''}Content-Length: 0

`;
}

export function responseTo(req: string, status: number, toTag = 'b1', reason = 'Reason'): string {
  const r = request(req);
  const vias = r.headers.getLines('Via').map((v) => `Via: ${v}`).join('\n');
  const to = (r.headers.get('To') ?? '') + (status > 100 ? `;tag=${toTag}` : '');
  return `SIP/2.0 ${status} ${reason}
${vias}
From: ${r.headers.get('From')}
To: ${to}
Call-ID: ${r.headers.get('Call-ID')}
CSeq: ${r.headers.get('CSeq')}
Content-Length: 0

`;
}

export async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
