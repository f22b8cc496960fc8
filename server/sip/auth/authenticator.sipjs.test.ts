/**
 * Interop: the challenge as sip.js 0.21 reads it (its own parser, which keeps the last value) and the answer
 * as sip.js computes it (its DigestAuthentication), checked by our Authenticator.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DigestAuthentication, Grammar, LoggerFactory, OutgoingRequestMessage, Parser } from 'sip.js/lib/core/index.js';
import { serialize } from '../message/serialize';
import { DOMAIN, fail, makeFlow, request, setup } from './authenticator.testkit';

const loggers = new LoggerFactory();
loggers.builtinEnabled = false;

async function sipJsRoundTrip(method: string, password: string, settings?: Parameters<typeof setup>[0]) {
  const { auth } = setup(settings);
  const flow = makeFlow();
  const first = fail(await auth.authenticate(request(method), flow));
  const parsed = Parser.parseMessage(serialize(first).toString('utf8'), loggers.getLogger('test'));
  assert.ok(parsed, 'sip.js parses our challenge response');
  const challenge = parsed.parseHeader(method === 'REGISTER' ? 'www-authenticate' : 'proxy-authenticate');
  assert.ok(challenge, 'sip.js reads the challenge');
  const ruri = Grammar.URIParse(method === 'REGISTER' ? `sip:${DOMAIN}` : `sip:bob@${DOMAIN}`)!;
  const from = Grammar.URIParse(`sip:alice@${DOMAIN}`)!;
  const outgoing = new OutgoingRequestMessage(method, ruri, from, from, {});
  const digest = new DigestAuthentication(loggers, undefined, 'alice', password);
  const ok = digest.authenticate(outgoing, challenge);
  const req = request(method);
  if (ok) req.headers.append(method === 'REGISTER' ? 'Authorization' : 'Proxy-Authorization', digest.toString());
  return { ok, result: await auth.authenticate(req, flow) };
}

describe('Authenticator with sip.js 0.21 as the client', () => {
  for (const method of ['REGISTER', 'INVITE', 'MESSAGE']) {
    test(`${method}: sip.js answers the MD5 challenge it keeps (the last value) and is accepted`, async () => {
      const { ok, result } = await sipJsRoundTrip(method, 'wonderland');
      assert.equal(ok, true);
      assert.deepEqual(result, { ok: true, user: 'alice', method: 'digest' });
    });
  }

  test('wrong password from sip.js is refused', async () => {
    const { result } = await sipJsRoundTrip('REGISTER', 'bad');
    assert.equal(fail(result).status, 401);
  });

  test('SHA-256 preferred, MD5 offered: sip.js still gets in with MD5', async () => {
    const { ok, result } = await sipJsRoundTrip('REGISTER', 'wonderland', { digestAlgorithms: ['SHA-256', 'MD5'] });
    assert.equal(ok, true);
    assert.equal(result.ok, true);
  });

  test('SHA-256 only: sip.js cannot answer (it knows only MD5)', async () => {
    const { ok } = await sipJsRoundTrip('REGISTER', 'wonderland', { digestAlgorithms: ['SHA-256'] });
    assert.equal(ok, false);
  });
});
