/**
 * In-memory stand-ins for a flow and a server transaction, for unit tests of dispatcher steps and
 * services: they record what was sent instead of writing to a socket.
 */
import { parseMessage } from '../sip/message/index';
import type { SipRequest, SipResponse } from '../sip/message/types';
import type { ServerTransaction, ServerTransactionState } from '../sip/transaction/types';
import type { Flow } from '../sip/transport/types';

export class MemoryFlow implements Flow {
  readonly attributes = new Map<string, unknown>();
  readonly sent: unknown[] = [];
  closed = false;
  readonly inbound = true;
  readonly local = { address: '127.0.0.1', port: 5060 };
  constructor(
    readonly id = 'flowA0123456789',
    readonly transport: Flow['transport'] = 'TCP',
    readonly remote = { address: '127.0.0.1', port: 40000 },
  ) {}
  send(m: unknown): boolean {
    this.sent.push(m);
    return !this.closed;
  }
  close(): void {
    this.closed = true;
  }
  onClose(): void {}
}

export class MemoryServerTransaction implements ServerTransaction {
  readonly responses: SipResponse[] = [];
  state: ServerTransactionState = 'Trying';
  readonly id = 'tx';
  constructor(
    readonly request: SipRequest,
    readonly flow: Flow = new MemoryFlow(),
  ) {}
  private readonly finals: Array<(r: SipResponse) => void> = [];
  respond(r: SipResponse): void {
    this.responses.push(r);
    if (r.status >= 200 && this.state !== 'Completed') {
      this.state = 'Completed';
      for (const l of this.finals.splice(0)) l(r);
    }
  }
  onCancel(): void {}
  onTerminated(): void {}
  onFinal(listener: (r: SipResponse) => void): void {
    this.finals.push(listener);
  }
  get final(): SipResponse | undefined {
    return this.responses.find((r) => r.status >= 200);
  }
}

/** Parses a request written with `\n` line ends (CRLF added, Content-Length computed). */
export function request(text: string): SipRequest {
  const [head, body = ''] = text.replace(/^\n/, '').split('\n\n');
  const lines = head!.trim().split('\n').map((l) => l.trim());
  const raw = `${lines.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const msg = parseMessage(Buffer.from(raw));
  if (msg.kind !== 'request') throw new Error('not a request');
  return msg;
}
