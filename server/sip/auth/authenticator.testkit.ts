/** Shared fixtures of the Authenticator tests: a real in-memory store, a real Flow, an RFC 7616 client. */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { AuthSettings } from '../../config';
import { DEFAULT_AUTH } from '../../config';
import { TokenService } from '../../auth/tokens';
import { parseMessage } from '../message/parse';
import type { SipRequest, SipResponse } from '../message/types';
import type { Flow } from '../transport/types';
import { Authenticator, type AuthResult } from './authenticator';
import type { CredentialSource, DigestCredentialRecord } from './digestVerifier';

export const DOMAIN = 'ocs.test';
export const SECRET = Buffer.alloc(32, 3);

// ---- a real in-memory credential store and a real Flow --------------------------------------

export class MemoryCredentials implements CredentialSource {
  readonly users = new Map<string, DigestCredentialRecord>();
  add(name: string, password: string, disabled = false): void {
    const h = (alg: string) => createHash(alg).update(`${name}:${DOMAIN}:${password}`).digest('hex');
    this.users.set(name, { realm: DOMAIN, ha1Md5: h('md5'), ha1Sha256: h('sha256'), disabled });
  }
  async getDigestCredentials(name: string) {
    return this.users.get(name);
  }
}

export function makeFlow(address = '192.0.2.10'): Flow {
  return {
    id: randomBytes(8).toString('hex'),
    transport: 'TCP',
    local: { address: '127.0.0.1', port: 5060 },
    remote: { address, port: 40000 },
    inbound: true,
    closed: false,
    attributes: new Map(),
    send: () => true,
    close: () => {},
    onClose: () => {},
  };
}

// ---- the client side, written from RFC 7616 §3.4 with node:crypto -----------------------------

export function request(method: string, opts: { from?: string; uri?: string; headers?: [string, string][] } = {}): SipRequest {
  const uri = opts.uri ?? (method === 'REGISTER' ? `sip:${DOMAIN}` : `sip:bob@${DOMAIN}`);
  const from = opts.from ?? 'alice';
  const lines = [
    `${method} ${uri} SIP/2.0`,
    `Via: SIP/2.0/TCP 192.0.2.10:40000;branch=z9hG4bK${randomBytes(6).toString('hex')}`,
    'Max-Forwards: 70',
    `From: <sip:${from}@${DOMAIN}>;tag=${randomBytes(4).toString('hex')}`,
    `To: <${method === 'REGISTER' ? `sip:${from}@${DOMAIN}` : `sip:bob@${DOMAIN}`}>`,
    `Call-ID: ${randomBytes(8).toString('hex')}@client`,
    `CSeq: 1 ${method}`,
    ...(opts.headers ?? []).map(([n, v]) => `${n}: ${v}`),
    'Content-Length: 0',
  ];
  const msg = parseMessage(Buffer.from(lines.join('\r\n') + '\r\n\r\n'));
  assert.equal(msg.kind, 'request');
  return msg as SipRequest;
}

export interface Challenge {
  params: Map<string, string>;
  raw: string;
}

export function challengesOf(res: SipResponse): Challenge[] {
  const name = res.status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
  return res.headers.getAll(name).map((raw) => {
    const params = new Map<string, string>();
    for (const m of raw.matchAll(/([a-z_]+)=(?:"([^"]*)"|([^\s,]+))/gi)) params.set(m[1]!.toLowerCase(), m[2] ?? m[3]!);
    return { params, raw };
  });
}

export function answer(
  req: SipRequest,
  challenge: Challenge,
  user: string,
  password: string,
  opts: { nc?: number; algorithm?: string; uri?: string; cnonce?: string } = {},
): string {
  const algorithm = opts.algorithm ?? challenge.params.get('algorithm') ?? 'MD5';
  const hashName = algorithm.toUpperCase().startsWith('SHA-256') ? 'sha256' : 'md5';
  const H = (s: string) => createHash(hashName).update(s).digest('hex');
  const realm = challenge.params.get('realm')!;
  const nonce = challenge.params.get('nonce')!;
  const cnonce = opts.cnonce ?? randomBytes(8).toString('hex');
  const nc = (opts.nc ?? 1).toString(16).padStart(8, '0');
  const uri = opts.uri ?? `${req.uri.scheme}:${req.uri.user ? req.uri.user + '@' : ''}${req.uri.host}`;
  let ha1 = H(`${user}:${realm}:${password}`);
  if (algorithm.toLowerCase().endsWith('-sess')) ha1 = H(`${ha1}:${nonce}:${cnonce}`);
  const response = H(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${H(`${req.method}:${uri}`)}`);
  return (
    `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", ` +
    `algorithm=${algorithm}, cnonce="${cnonce}", opaque="${challenge.params.get('opaque')}", qop=auth, nc=${nc}`
  );
}

export function credentialHeader(method: string): string {
  return method === 'REGISTER' ? 'Authorization' : 'Proxy-Authorization';
}

export function fail(r: AuthResult): SipResponse {
  assert.equal(r.ok, false, 'expected a refusal');
  return (r as { ok: false; response: SipResponse }).response;
}

export function setup(settings: Partial<AuthSettings> = {}) {
  const clock = { t: 1_700_000_000_000 };
  const now = () => clock.t;
  const store = new MemoryCredentials();
  store.add('alice', 'wonderland');
  store.add('bob', 'builder');
  store.add('mallory', 'gone', true);
  const tokens = new TokenService(Buffer.alloc(32, 9), 60_000, now);
  const full: AuthSettings = { ...DEFAULT_AUTH, ...settings };
  const auth = new Authenticator({ domain: DOMAIN, settings: full, credentials: store, tokens, secret: SECRET, now });
  /** Sends `method` without credentials, answers the challenge with (user, password), returns the result. */
  async function roundTrip(
    method: string,
    user: string,
    password: string,
    opts: { flow?: Flow; from?: string; algorithm?: string; pick?: number } = {},
  ): Promise<AuthResult> {
    const flow = opts.flow ?? makeFlow();
    const firstResult = await auth.authenticate(request(method, { from: opts.from ?? user }), flow);
    const first = fail(firstResult);
    if (first.status !== 401 && first.status !== 407) return firstResult; // e.g. 403 for a locked address
    const challenges = challengesOf(first);
    const wanted = opts.algorithm?.replace(/-sess$/i, '');
    const ch = wanted ? challenges.find((c) => c.params.get('algorithm') === wanted)! : challenges[opts.pick ?? 0]!;
    const req = request(method, { from: opts.from ?? user });
    req.headers.append(credentialHeader(method), answer(req, ch, user, password, { algorithm: opts.algorithm }));
    return auth.authenticate(req, flow);
  }
  return { auth, store, tokens, clock, roundTrip, settings: full };
}

