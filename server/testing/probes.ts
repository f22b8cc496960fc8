/**
 * Health probes: an OPTIONS to the server itself (RFC 3261 §11) on a connection of its own, so a
 * robustness test can show the server still answers while (or after) it is abused.
 */
import type { SipConnection } from './connection';
import { buildRequest, newBranch, randomToken, type WireMessage } from './sip-wire';

/** An OPTIONS to the domain (no user part: the server itself) from an anonymous peer. */
export function optionsRequest(connection: SipConnection, domain: string, callId = `${randomToken(16)}@probe`): Buffer {
  const via = connection.transport === 'TCP' ? `${connection.localAddress}:${connection.localPort}` : `${randomToken(8)}.invalid`;
  return buildRequest({
    method: 'OPTIONS',
    uri: `sip:${domain}`,
    headers: [
      ['Via', `SIP/2.0/${connection.transport} ${via};branch=${newBranch()};rport`],
      ['Max-Forwards', '70'],
      ['From', `<sip:probe@${domain}>;tag=${randomToken(8)}`],
      ['To', `<sip:${domain}>`],
      ['Call-ID', callId],
      ['CSeq', '1 OPTIONS'],
      ['Accept', 'application/sdp'],
    ],
  });
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
