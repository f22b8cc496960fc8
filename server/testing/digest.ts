/**
 * The client side of HTTP Digest as SIP uses it (RFC 3261 §22.4, RFC 2617 §3.2.2, RFC 7616 §3.4.1,
 * RFC 8760 for SHA-256 in SIP), written here from the RFC text so the tests check the server's
 * verifier against an independent implementation.
 */
import { createHash, randomBytes } from 'node:crypto';

export type DigestAlgorithmName = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

export interface DigestChallenge {
  realm: string;
  nonce: string;
  /** Absent means MD5 (RFC 2617 §3.2.1). */
  algorithm: string;
  qop: string[];
  opaque?: string;
  stale: boolean;
}

/** Splits `k=v, k="v, w"` auth-params (RFC 7235 §2.1). */
function parseAuthParams(s: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    if (m[0].length === 0) break;
    out.set(m[1]!.toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!);
  }
  return out;
}

/** Parses one `Digest ...` challenge (a WWW-Authenticate or Proxy-Authenticate value). */
export function parseChallenge(value: string): DigestChallenge {
  const m = /^\s*Digest\s+(.*)$/is.exec(value);
  if (!m) throw new Error(`not a Digest challenge: ${value}`);
  const p = parseAuthParams(m[1]!);
  const realm = p.get('realm');
  const nonce = p.get('nonce');
  if (realm === undefined || nonce === undefined) throw new Error(`challenge without realm/nonce: ${value}`);
  return {
    realm,
    nonce,
    algorithm: p.get('algorithm') ?? 'MD5',
    qop: (p.get('qop') ?? '').split(',').map((q) => q.trim()).filter(Boolean),
    opaque: p.get('opaque'),
    stale: (p.get('stale') ?? '').toLowerCase() === 'true',
  };
}

/** Picks the challenge for `algorithm` among several (RFC 8760 §2.4: one header per algorithm). */
export function pickChallenge(values: string[], algorithm: DigestAlgorithmName = 'MD5'): DigestChallenge | undefined {
  return values.map(parseChallenge).find((c) => c.algorithm.toUpperCase() === algorithm.toUpperCase());
}

function hashFor(algorithm: string): (s: string) => string {
  const name = algorithm.toUpperCase().startsWith('SHA-256') ? 'sha256' : algorithm.toUpperCase().startsWith('MD5') ? 'md5' : undefined;
  if (!name) throw new Error(`unsupported digest algorithm ${algorithm}`);
  return (s) => createHash(name).update(s, 'utf8').digest('hex');
}

export interface DigestCredentials {
  username: string;
  password: string;
}

export interface DigestInput {
  challenge: DigestChallenge;
  credentials: DigestCredentials;
  method: string;
  /** The digest-uri (the Request-URI for SIP). */
  uri: string;
  /** Only for qop=auth-int. */
  body?: Buffer;
  /** Fixed in tests against RFC examples; random otherwise. */
  cnonce?: string;
  nc?: number;
}

export interface DigestResult {
  response: string;
  cnonce?: string;
  nc?: string;
  qop?: string;
}

/** request-digest of RFC 7616 §3.4.1 (RFC 2617 §3.2.2.1 for MD5). */
export function computeDigest(input: DigestInput): DigestResult {
  const { challenge, credentials, method, uri } = input;
  const H = hashFor(challenge.algorithm);
  const qop = challenge.qop.includes('auth') ? 'auth' : challenge.qop.includes('auth-int') ? 'auth-int' : undefined;
  const cnonce = input.cnonce ?? randomBytes(12).toString('hex');
  const nc = (input.nc ?? 1).toString(16).padStart(8, '0');
  let ha1 = H(`${credentials.username}:${challenge.realm}:${credentials.password}`);
  if (challenge.algorithm.toLowerCase().endsWith('-sess')) ha1 = H(`${ha1}:${challenge.nonce}:${cnonce}`);
  const ha2 = qop === 'auth-int' ? H(`${method}:${uri}:${H((input.body ?? Buffer.alloc(0)).toString('latin1'))}`) : H(`${method}:${uri}`);
  if (!qop) return { response: H(`${ha1}:${challenge.nonce}:${ha2}`) };
  return { response: H(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:${qop}:${ha2}`), cnonce, nc, qop };
}

/** The full Authorization / Proxy-Authorization header value. */
export function digestAuthorization(input: DigestInput): string {
  const r = computeDigest(input);
  const c = input.challenge;
  const parts = [
    `username="${input.credentials.username}"`,
    `realm="${c.realm}"`,
    `nonce="${c.nonce}"`,
    `uri="${input.uri}"`,
    `response="${r.response}"`,
    `algorithm=${c.algorithm}`,
  ];
  if (r.qop) parts.push(`qop=${r.qop}`, `nc=${r.nc}`, `cnonce="${r.cnonce}"`);
  if (c.opaque !== undefined) parts.push(`opaque="${c.opaque}"`);
  return `Digest ${parts.join(', ')}`;
}
