/**
 * What the fuzzer mutates: the parser's hand-written corpus (server/sip/message/corpus), the RFC 4475
 * torture messages read in place from ../shared/rfc4475 when present (template variables filled for
 * the server under test), and requests addressed to the server's own domain from an authenticated
 * user, so mutations also reach the registrar, the router and the proxy core, not just the parser.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { INVALID } from '../sip/message/corpus/invalid';
import { VALID } from '../sip/message/corpus/valid';
import { SDP } from '../sip/message/corpus/wire';

export interface Seed {
  name: string;
  raw: Buffer;
  /** A valid request to our domain: split anywhere, it must still be answered as a whole one is. */
  valid?: boolean;
}

export const RFC4475_DIR = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'rfc4475');

export interface SeedContext {
  domain: string;
  /** Where the fuzzer's connections go (filled into RFC 4475 templates). */
  host: string;
  port: number;
  transport: 'TCP' | 'WS';
  /** The authenticated user whose From the domain seeds carry, and a registered callee. */
  user: string;
  callee: string;
}

function rfc4475(ctx: SeedContext): Seed[] {
  if (!existsSync(RFC4475_DIR)) return [];
  const vars: Record<string, string> = {
    DOMAIN: ctx.domain, HOST: ctx.host, PORT: String(ctx.port), TRANSPORT: ctx.transport, transport: ctx.transport.toLowerCase(),
  };
  return readdirSync(RFC4475_DIR)
    .filter((f) => f.endsWith('.sip'))
    .sort()
    .map((f) => ({
      name: `rfc4475/${f.slice(0, -4)}`,
      raw: Buffer.from(readFileSync(resolve(RFC4475_DIR, f)).toString('latin1').replace(/\{\{(\w+)\}\}/g, (m, k: string) => vars[k] ?? m), 'latin1'),
    }));
}

let counter = 0;

/** A request of `user` to our domain with every mandatory header (RFC 3261 §8.1.1). */
export function domainRequest(ctx: SeedContext, method: string, uri: string, extra: string[] = [], body = ''): Buffer {
  const n = ++counter;
  const sentBy = ctx.transport === 'TCP' ? `${ctx.host}:${ctx.port}` : `fz${n}.invalid`;
  const lines = [
    `${method} ${uri} SIP/2.0`,
    `Via: SIP/2.0/${ctx.transport} ${sentBy};branch=z9hG4bKfz${n}x${Date.now().toString(36)};rport`,
    'Max-Forwards: 70',
    `From: <sip:${ctx.user}@${ctx.domain}>;tag=fz${n}`,
    `To: <${method === 'REGISTER' ? `sip:${ctx.user}@${ctx.domain}` : uri}>`,
    `Call-ID: fz${n}-${Math.random().toString(36).slice(2)}@fuzz`,
    `CSeq: ${n} ${method}`,
    ...extra,
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'utf8');
}

/** Fresh domain seeds (new Call-ID, branch, CSeq each call, so retransmission matching is not what is tested). */
export function domainSeeds(ctx: SeedContext): Seed[] {
  const callee = `sip:${ctx.callee}@${ctx.domain}`;
  const contact = `Contact: <sip:${ctx.user}@${ctx.host}:${ctx.port};transport=${ctx.transport.toLowerCase()}>`;
  return [
    { name: 'domain/OPTIONS server', raw: domainRequest(ctx, 'OPTIONS', `sip:${ctx.domain}`), valid: true },
    { name: 'domain/REGISTER', raw: domainRequest(ctx, 'REGISTER', `sip:${ctx.domain}`, [`${contact};expires=600`, 'Supported: outbound, gruu, path']), valid: true },
    { name: 'domain/MESSAGE', raw: domainRequest(ctx, 'MESSAGE', callee, ['Content-Type: text/plain'], 'fuzzing hello'), valid: true },
    { name: 'domain/INVITE', raw: domainRequest(ctx, 'INVITE', callee, [contact, 'Content-Type: application/sdp'], SDP) },
    { name: 'domain/SUBSCRIBE', raw: domainRequest(ctx, 'SUBSCRIBE', callee, [contact, 'Event: presence', 'Expires: 60']) },
    { name: 'domain/PUBLISH', raw: domainRequest(ctx, 'PUBLISH', `sip:${ctx.user}@${ctx.domain}`, ['Event: presence', 'Content-Type: application/pidf+xml'], '<presence/>') },
    { name: 'domain/INFO', raw: domainRequest(ctx, 'INFO', callee) },
    { name: 'domain/BYE', raw: domainRequest(ctx, 'BYE', callee, ['Route: <sip:nowhere.invalid;lr>']) },
    { name: 'domain/CANCEL', raw: domainRequest(ctx, 'CANCEL', callee) },
    { name: 'domain/ACK', raw: domainRequest(ctx, 'ACK', callee) },
  ];
}

/** Every static seed (corpus + RFC 4475); domain seeds are made per use. */
export function staticSeeds(ctx: SeedContext): Seed[] {
  return [...VALID.map((f) => ({ name: `valid/${f.name}`, raw: f.raw })), ...INVALID.map((f) => ({ name: `invalid/${f.name}`, raw: f.raw })), ...rfc4475(ctx)];
}
