/**
 * Health probes: an OPTIONS to the server itself (RFC 3261 §11) on a connection of its own, so a
 * robustness test can show the server still answers while (or after) it is abused.
 */
import type { SipConnection } from './connection';
import { buildRequest, newBranch, randomToken, type WireMessage } from './sip-wire';

export interface AnonymousRequest {
  method?: string;
  /** Default: the domain itself (the server). */
  uri?: string;
  callId?: string;
  /** Mandatory headers to leave out (canonical names: via, from, to, call-id, cseq, max-forwards). */
  omit?: string[];
  extra?: Array<[string, string]>;
  body?: string | Buffer;
  /** Overrides the computed Content-Length (lies on purpose). */
  contentLength?: number;
}

/** A request from an anonymous peer with every RFC 3261 §8.1.1 header unless told to omit some. */
export function anonymousRequest(connection: SipConnection, domain: string, spec: AnonymousRequest = {}): Buffer {
  const method = spec.method ?? 'OPTIONS';
  const via = connection.transport === 'TCP' ? `${connection.localAddress}:${connection.localPort}` : `${randomToken(8)}.invalid`;
  const omit = new Set(spec.omit ?? []);
  const headers: Array<[string, string]> = (
    [
      ['Via', `SIP/2.0/${connection.transport} ${via};branch=${newBranch()};rport`],
      ['Max-Forwards', '70'],
      ['From', `<sip:probe@${domain}>;tag=${randomToken(8)}`],
      ['To', `<${spec.uri ?? `sip:${domain}`}>`],
      ['Call-ID', spec.callId ?? `${randomToken(16)}@probe`],
      ['CSeq', `1 ${method}`],
    ] as Array<[string, string]>
  ).filter(([n]) => !omit.has(n.toLowerCase()));
  if (method === 'OPTIONS') headers.push(['Accept', 'application/sdp']);
  headers.push(...(spec.extra ?? []));
  if (spec.contentLength !== undefined) headers.push(['Content-Length', String(spec.contentLength)]);
  return buildRequest({ method, uri: spec.uri ?? `sip:${domain}`, headers, body: spec.body });
}

/** An OPTIONS to the domain (no user part: the server itself) from an anonymous peer. */
export function optionsRequest(connection: SipConnection, domain: string, callId = `${randomToken(16)}@probe`): Buffer {
  return anonymousRequest(connection, domain, { callId });
}

/** Sends an OPTIONS and resolves with the (final) response to it. */
export async function ping(connection: SipConnection, domain: string, timeoutMs = 3_000): Promise<WireMessage> {
  const callId = `${randomToken(16)}@probe`;
  connection.send(optionsRequest(connection, domain, callId));
  return connection.next({ timeoutMs, match: (m) => m.kind === 'response' && m.header('call-id') === callId && (m.status ?? 0) >= 200 });
}

/** A request with the given Call-ID answered finally (skips provisional responses). */
export function finalResponseTo(connection: SipConnection, callId: string, timeoutMs = 3_000): Promise<WireMessage> {
  return connection.next({ timeoutMs, match: (m) => m.kind === 'response' && m.header('call-id') === callId && (m.status ?? 0) >= 200 });
}

/**
 * Outcome of sending something hostile: the final response, or that the server closed the
 * connection, or neither within the deadline.
 */
export type Outcome = { kind: 'response'; message: WireMessage } | { kind: 'closed' } | { kind: 'silent' };

export async function outcomeOf(connection: SipConnection, callId: string | undefined, timeoutMs = 3_000): Promise<Outcome> {
  const match = (m: WireMessage): boolean => m.kind === 'response' && (m.status ?? 0) >= 200 && (callId === undefined || m.header('call-id') === callId);
  try {
    return { kind: 'response', message: await connection.next({ timeoutMs, match }) };
  } catch {
    return connection.isClosed ? { kind: 'closed' } : { kind: 'silent' };
  }
}

export function describeOutcome(o: Outcome): string {
  return o.kind === 'response' ? o.message.startLine : o.kind;
}

/**
 * A well-behaved client that keeps pinging the server on its own connection while a test abuses
 * it, so the test can show the server kept answering others throughout.
 */
export class HealthyClient {
  answered = 0;
  readonly failures: string[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly connection: SipConnection,
    private readonly domain: string,
    private readonly intervalMs = 50,
  ) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const res = await ping(this.connection, this.domain, 3_000);
        if ((res.status ?? 0) >= 500) this.failures.push(res.startLine);
        else this.answered++;
      } catch (e) {
        this.failures.push((e as Error).message);
        if (this.connection.isClosed) return;
      }
      await new Promise((r) => setTimeout(r, this.intervalMs));
    }
  }

  /** Resolves once `more` further answers have arrived (or throws with the failures so far). */
  async answersAfter(more = 2, timeoutMs = 5_000): Promise<void> {
    const target = this.answered + more;
    const deadline = Date.now() + timeoutMs;
    while (this.answered < target) {
      if (this.failures.length > 0 || Date.now() > deadline || this.connection.isClosed) {
        throw new Error(`healthy client stalled at ${this.answered} answers; failures: ${this.failures.join(' | ') || 'none'}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}
