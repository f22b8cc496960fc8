/** Real-socket helpers for the transport integration tests (loopback only, port 0). */
import { connect, type Socket } from 'node:net';
import type { SipLimits } from '../../config';
import { DEFAULT_PARSER_LIMITS, type ParserLimits, type SipMessage } from '../message/types';
import { createTransportLayer, type SipTransportLayer, type TransportLayerOptions } from './layer';
import type { Flow } from './types';

export const TEST_LIMITS: SipLimits = {
  maxConnectionsPerIp: 100,
  maxRequestsPerSecondPerIp: 1_000,
  idleTimeoutMs: 30_000,
  messageAssemblyTimeoutMs: 30_000,
  maxConnections: 1_000,
};

export interface Harness {
  layer: SipTransportLayer;
  port: number;
  received: Array<{ message: SipMessage; flow: Flow }>;
  closed: Array<{ flow: Flow; reason: string }>;
}

export async function startLayer(
  limits: Partial<SipLimits> = {},
  extra: Partial<TransportLayerOptions> & { parser?: ParserLimits } = {},
): Promise<Harness> {
  const layer = await createTransportLayer({
    host: '127.0.0.1',
    sipPort: 0,
    parser: extra.parser ?? DEFAULT_PARSER_LIMITS,
    limits: { ...TEST_LIMITS, ...limits },
    drainGraceMs: 200,
    ...extra,
  });
  const h: Harness = { layer, port: layer.addresses.tcp?.port ?? 0, received: [], closed: [] };
  layer.on('message', (message, flow) => h.received.push({ message, flow }));
  layer.on('flowClose', (flow, reason) => h.closed.push({ flow, reason }));
  return h;
}

/** A raw SIP peer over TCP that records everything it reads. */
export class RawPeer {
  data = '';
  ended = false;
  private constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (this.data += d));
    socket.on('close', () => (this.ended = true));
    socket.on('error', () => {});
  }

  static open(port: number, localAddress = '127.0.0.1'): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port, localAddress }, () => resolve(new RawPeer(s)));
      s.once('error', reject);
    });
  }

  write(text: string | Buffer): void {
    this.socket.write(typeof text === 'string' ? crlf(text) : text);
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

let counter = 0;
export function options(opts: { branch?: string; via?: string; extra?: string; body?: string } = {}): string {
  const branch = opts.branch ?? `z9hG4bKt${++counter}`;
  const body = opts.body ?? '';
  return crlf(`OPTIONS sip:ocs.test SIP/2.0
Via: ${opts.via ?? 'SIP/2.0/TCP client.invalid;rport'};branch=${branch}
Max-Forwards: 70
From: <sip:alice@ocs.test>;tag=a1
To: <sip:ocs.test>
Call-ID: ${branch}@test
CSeq: 1 OPTIONS
${opts.extra ?? ''}Content-Length: ${Buffer.byteLength(body)}

`) + body;
}

export function response200(branch = 'z9hG4bKr1'): string {
  return crlf(`SIP/2.0 200 OK
Via: SIP/2.0/TCP somewhere.else:5060;branch=${branch}
From: <sip:alice@ocs.test>;tag=a1
To: <sip:ocs.test>;tag=b1
Call-ID: ${branch}@test
CSeq: 1 OPTIONS
Content-Length: 0

`);
}

export async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
