import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Dispatcher } from '../../dispatcher/dispatcher';
import { MemoryServerTransaction, request } from '../../dispatcher/testing';
import { createLogger } from '../../log';
import { preprocessRoutes, validateRequest } from './validate';
import { proxyBranch, loopHash } from './loop';
import { recordRouteUri } from './flow-token';

const FE = 'fe0123';
function dispatcher() {
  const d = new Dispatcher(createLogger('silent'), 'test');
  d.use('validate', validateRequest(FE, (r) => !r.uri.user))
    .use('routes', preprocessRoutes(FE, (u) => u.host === 'ocs.test'))
    .otherwise({
      module: 'echo',
      async handle(ctx) {
        ctx.respond(200, 'OK', { headers: [['X-Dialog', ctx.dialog ? `${ctx.dialog.inFlow}/${ctx.dialog.outFlow}` : '-'], ['X-Route', ctx.request.headers.getAll('Route').join(' | ')]] });
      },
    });
  return d;
}
const MSG = (extra = '', mf = 70, uri = 'sip:bob@ocs.test') => `
MESSAGE ${uri} SIP/2.0
Via: SIP/2.0/TCP 127.0.0.1:40000;branch=z9hG4bKabc
Max-Forwards: ${mf}
From: <sip:alice@ocs.test>;tag=a1
To: <sip:bob@ocs.test>
Call-ID: c1
CSeq: 1 MESSAGE
${extra}`;

async function run(text: string) {
  const tx = new MemoryServerTransaction(request(text));
  await dispatcher().dispatch(tx);
  return tx.final!;
}

describe('proxy request validation (RFC 3261 §16.3) and Route pre-processing (§16.4)', () => {
  test('Max-Forwards 0 is 483, except OPTIONS for the server itself', async () => {
    assert.equal((await run(MSG('', 0))).status, 483);
    const opt = MSG('', 0, 'sip:ocs.test').replace(/MESSAGE/g, 'OPTIONS');
    assert.equal((await run(opt)).status, 200);
  });

  test('an unknown Proxy-Require is 420 listing it in Unsupported', async () => {
    const res = await run(MSG('Proxy-Require: foo, outbound'));
    assert.equal(res.status, 420);
    assert.equal(res.headers.get('Unsupported'), 'foo');
  });

  test('a non-SIP Request-URI scheme is 416', async () => {
    assert.equal((await run(MSG('', 70, 'http://example.com/x'))).status, 416);
  });

  test('a request that comes back with our own Via and the same loop hash is 482; a spiral is not', async () => {
    const base = request(MSG());
    const branch = proxyBranch(FE, loopHash(base));
    const looped = MSG().replace('Via: SIP/2.0/TCP 127.0.0.1:40000;branch=z9hG4bKabc', `Via: SIP/2.0/TCP 127.0.0.1:40000;branch=z9hG4bKabc\nVia: SIP/2.0/TCP 127.0.0.1:5060;branch=${branch}`);
    assert.equal((await run(looped)).status, 482);
    const spiral = looped.replace('MESSAGE sip:bob@ocs.test', 'MESSAGE sip:carol@ocs.test');
    assert.equal((await run(spiral)).status, 200);
  });

  test('our Record-Route on top of Route is consumed and its flow token kept; other routes stay', async () => {
    const rr = recordRouteUri(FE, { inFlow: 'aaaaaaaaaaaa', outFlow: 'bbbbbbbbbbbb' }, { host: '127.0.0.1', port: 5060, transport: 'TCP' });
    const res = await run(MSG(`Route: ${rr}, <sip:other.example;lr>`));
    assert.equal(res.headers.get('X-Dialog'), 'aaaaaaaaaaaa/bbbbbbbbbbbb');
    assert.equal(res.headers.get('X-Route'), '<sip:other.example;lr>');
  });

  test('an outbound-proxy Route naming our domain is consumed', async () => {
    const res = await run(MSG('Route: <sip:ocs.test;lr>'));
    assert.equal(res.headers.get('X-Route'), '');
  });
});
