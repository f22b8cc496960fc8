/**
 * How one Front End of a pool proves to another that a request comes from it: every request it
 * forwards to a member carries
 *
 *   X-OCS-Pool: fe=<its id>;ts=<ms>;mac=<base64url HMAC-SHA256(pool key, fe|ts|method|Call-ID|CSeq)[0..16]>
 *
 * with the pool key derived from a secret in the shared database (only Front Ends read it). The
 * receiver accepts it from a live member, within `maxSkewMs`, and then trusts the request's
 * P-Asserted-Identity as it trusts its own authentication (RFC 3325 trust domain). A client that
 * sends the header is refused (403) by whichever Front End it reaches. Between machines, run the
 * pool's SIP over TLS: the MAC proves origin, it does not hide the traffic.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SipRequest } from '../sip/message/types';
import { HmacSha256 } from '../sip/auth/hmac';

export const POOL_HEADER = 'X-OCS-Pool';
const MAC_BYTES = 16;

export type PoolVerdict = { ok: true; frontEnd: string } | { ok: false; why: string };

export class PoolCredentials {
  private readonly hmac: HmacSha256;

  constructor(
    secret: Buffer,
    private readonly self: string,
    private readonly isMember: (frontEnd: string) => boolean,
    private readonly maxSkewMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {
    this.hmac = new HmacSha256(createHmac('sha256', secret).update('ocs-pool-peer').digest());
  }

  /** The header value for `req` as this Front End sends it. */
  sign(req: SipRequest): string {
    const ts = Math.floor(this.now());
    return `fe=${this.self};ts=${ts};mac=${this.mac(this.self, ts, req).toString('base64url')}`;
  }

  verify(req: SipRequest, value: string): PoolVerdict {
    const fields = new Map<string, string>();
    for (const part of value.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
    const fe = fields.get('fe');
    const ts = Number(fields.get('ts'));
    const mac = fields.get('mac');
    if (!fe || !Number.isSafeInteger(ts) || !mac || !/^[A-Za-z0-9_-]{22}$/.test(mac)) return { ok: false, why: 'malformed' };
    if (fe === this.self || !this.isMember(fe)) return { ok: false, why: 'not a live member' };
    if (Math.abs(this.now() - ts) > this.maxSkewMs) return { ok: false, why: 'stale' };
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== MAC_BYTES || !timingSafeEqual(given, this.mac(fe, ts, req))) return { ok: false, why: 'bad mac' };
    return { ok: true, frontEnd: fe };
  }

  private mac(fe: string, ts: number, req: SipRequest): Buffer {
    const text = `${fe}|${ts}|${req.method}|${req.headers.get('Call-ID') ?? ''}|${req.headers.get('CSeq') ?? ''}`;
    return this.hmac.digest(Buffer.from(text, 'utf8')).subarray(0, MAC_BYTES);
  }
}
