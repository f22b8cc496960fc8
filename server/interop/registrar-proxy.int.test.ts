/**
 * The registrar and proxy contract seen from raw SIP peers over TCP and WebSocket: several bindings
 * per user with GRUUs (RFC 5627), routing to a GRUU, unregistration on connection loss, Digest
 * details (SHA-256 per RFC 8760, stale nonces per RFC 7616 §3.3, wrong passwords), identity,
 * OPTIONS to the server and unknown methods (RFC 3261 §11, §8.2.1).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestFrontEnd, waitFor } from '../testing/frontend';
import { digestAuthorization, pickChallenge } from '../testing/digest';
import type { SipEndpoint } from '../testing/endpoint';
import { paramsOf, uriOf, type WireMessage } from '../testing/sip-wire';

const NONCE_TTL_MS = 400;

/** The Contact values of a REGISTER 200, keyed by +sip.instance. */
function bindingsOf(res: WireMessage): Map<string, Map<string, string | null>> {
  const out = new Map<string, Map<string, string | null>>();
  for (const c of res.headerAll('Contact')) {
    const p = paramsOf(c);
    out.set(p.get('+sip.instance') ?? uriOf(c), p);
  }
  return out;
}

describe('registrar and proxy from raw SIP peers', () => {
  let t: TestFrontEnd;

  before(async () => {
    t = await TestFrontEnd.start({
      overrides: { auth: { nonceTtlMs: NONCE_TTL_MS } },
      users: ['alice', 'bob', 'carol', 'dave', 'erin', 'mallory'].map((name) => ({ name, password: `${name}-secret-1` })),
    });
  });
  after(async () => {
    await t?.close();
  });

  let alice1: SipEndpoint;
  let alice2: SipEndpoint;

  test('two endpoints of one user: the 200 lists both bindings, each with its own pub-gruu (RFC 5627 §5)', async () => {
    alice1 = await t.registered('TCP', 'alice');
    alice2 = await t.endpoint('WS', 'alice');
    const res = await alice2.register();
    assert.equal(res.status, 200, res.startLine);
    const bindings = bindingsOf(res);
    const b1 = bindings.get(`<urn:uuid:${alice1.instanceId}>`);
    const b2 = bindings.get(`<urn:uuid:${alice2.instanceId}>`);
    assert.ok(b1 && b2, `both instances listed: ${res.headerAll('Contact').join(' | ')}`);
    assert.ok(Number(b2.get('expires')) > 0, 'each binding says how long it lasts (RFC 3261 §10.3 step 8)');
    const g1 = b1.get('pub-gruu');
    const g2 = b2.get('pub-gruu');
    assert.ok(g1 && g2 && g1 !== g2, `distinct public GRUUs: ${g1} / ${g2}`);
    assert.match(g1, /;gr=urn:uuid:/i, 'a public GRUU is the AOR with gr=<instance> (RFC 5627 §3.1)');
  });

  test('a MESSAGE to a GRUU reaches that endpoint only; to the AOR, both', async () => {
    const bob = await t.endpoint('TCP', 'bob');
    const res = await alice1.register();
    const gruu = bindingsOf(res).get(`<urn:uuid:${alice1.instanceId}>`)?.get('pub-gruu');
    assert.ok(gruu, 'pub-gruu of alice1');
    assert.equal((await bob.message(gruu, 'to one endpoint')).status, 200);
    await alice1.waitForRequest((m) => m.body.toString() === 'to one endpoint');
    assert.equal((await bob.message(`sip:alice@${t.domain}`, 'to every endpoint')).status, 200);
    await alice1.waitForRequest((m) => m.body.toString() === 'to every endpoint');
    await alice2.waitForRequest((m) => m.body.toString() === 'to every endpoint');
    // alice2's flow is ordered: had the GRUU message been forked to it, it would have come first.
    assert.equal(alice2.requests.filter((m) => m.body.toString() === 'to one endpoint').length, 0);
  });

  test('TCP and WebSocket peers reach each other through the proxy', async () => {
    const carol = await t.registered('WS', 'carol');
    const dave = await t.registered('TCP', 'dave');
    assert.equal((await dave.message(carol.aor, 'tcp to ws')).status, 200);
    assert.equal((await carol.message(dave.aor, 'ws to tcp')).status, 200);
    const atDave = await dave.waitForRequest((m) => m.method === 'MESSAGE');
    assert.equal(atDave.body.toString(), 'ws to tcp');
    assert.equal(uriOf(atDave.header('from')!), carol.aor);
  });

  for (const transport of ['TCP', 'WS'] as const) {
    test(`${transport}: a binding goes when its connection closes (flow failure, RFC 5626 §4.3)`, async () => {
      const erin = await t.registered(transport, 'erin');
      const bob = await t.endpoint('TCP', 'bob');
      assert.equal((await bob.message(erin.aor, 'are you there?')).status, 200);
      erin.connection.close();
      await waitFor(async () => (await bob.message(erin.aor, 'still there?')).status === 480, 5_000, '480 once erin is gone');
    });
  }

  test('REGISTER with Expires: 0 removes the binding', async () => {
    const erin = await t.registered('WS', 'erin');
    const bob = await t.endpoint('TCP', 'bob');
    assert.equal((await bob.message(erin.aor, 'hello')).status, 200);
    const res = await erin.register({ expires: 0 });
    assert.equal(res.status, 200, res.startLine);
    assert.equal((await bob.message(erin.aor, 'hello again')).status, 480);
  });

  test('SHA-256 Digest (RFC 8760) is accepted as well as MD5', async () => {
    const ep = await t.endpoint('TCP', 'dave', { algorithm: 'SHA-256' });
    const res = await ep.register();
    assert.equal(res.status, 200, res.startLine);
  });

  test('a wrong password is refused (401 again or 403), never 200', async () => {
    const ep = await t.endpoint('TCP', 'mallory', { password: 'not-the-password' });
    const res = await ep.register();
    assert.ok(res.status === 401 || res.status === 403, res.startLine);
  });

  test('an expired nonce gets 401 with stale=true, and a fresh answer then succeeds (RFC 7616 §3.3)', async () => {
    const ep = await t.endpoint('TCP', 'carol');
    const first = await ep.request('REGISTER', `sip:${t.domain}`, { auth: false, to: `<${ep.aor}>`, headers: [['Contact', `<${ep.contactUri}>`]] });
    assert.equal(first.status, 401);
    const challenge = pickChallenge(first.headerAll('WWW-Authenticate'), 'MD5')!;
    await new Promise((r) => setTimeout(r, NONCE_TTL_MS + 150));
    const authorization = digestAuthorization({ challenge, credentials: { username: 'carol', password: 'carol-secret-1' }, method: 'REGISTER', uri: `sip:${t.domain}` });
    const stale = await ep.request('REGISTER', `sip:${t.domain}`, { auth: false, to: `<${ep.aor}>`, headers: [['Contact', `<${ep.contactUri}>`], ['Authorization', authorization]] });
    assert.equal(stale.status, 401, stale.startLine);
    assert.equal(pickChallenge(stale.headerAll('WWW-Authenticate'), 'MD5')?.stale, true, 'the new challenge says stale=true');
    assert.equal((await ep.register()).status, 200);
  });

  test('an authenticated user cannot send as someone else (From must be the authenticated identity)', async () => {
    await t.registered('TCP', 'bob');
    const mallory = await t.endpoint('TCP', 'mallory');
    const honest = await mallory.message(`sip:bob@${t.domain}`, 'I am mallory');
    assert.equal(honest.status, 200, `as herself: ${honest.startLine}`);
    const spoof = await mallory.message(`sip:bob@${t.domain}`, 'I am alice', { from: `<sip:alice@${t.domain}>;tag=spoofed` });
    assert.equal(spoof.status, 403, `mallory's credentials with From alice: ${spoof.startLine}`);
  });

  test('OPTIONS to the server by domain and by address: 200 with Allow and Supported (RFC 3261 §11.2)', async () => {
    const ep = await t.endpoint('TCP', 'bob');
    for (const uri of [`sip:${t.domain}`, `sip:127.0.0.1:${t.sipPort};transport=tcp`]) {
      const res = await ep.request('OPTIONS', uri, { headers: [['Accept', 'application/sdp']] });
      assert.equal(res.status, 200, `${uri}: ${res.startLine}`);
      const allow = res.headerAll('Allow').map((m) => m.toUpperCase());
      for (const m of ['REGISTER', 'INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'MESSAGE']) assert.ok(allow.includes(m), `Allow lacks ${m}: ${allow.join(', ')}`);
      assert.ok(res.header('Supported') !== undefined, 'Supported present');
    }
  });

  test('an unknown method addressed to the server gets 501 Not Implemented (RFC 3261 §8.2.1)', async () => {
    const ep = await t.endpoint('TCP', 'bob');
    const res = await ep.request('FROBNICATE', `sip:${t.domain}`);
    assert.equal(res.status, 501, res.startLine);
  });
});
