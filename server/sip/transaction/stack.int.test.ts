import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createResponse } from '../message/response';
import { createRequest } from '../message/build';
import { RawPeer, crlf, startLayer, until, type Harness } from '../transport/test-support';
import { createTransactionLayer } from './layer';
import { RecordingUser } from './test-support';

const harnesses: Harness[] = [];
const peers: RawPeer[] = [];
after(async () => {
  for (const p of peers) p.destroy();
  await Promise.all(harnesses.map((h) => h.layer.close()));
});

const INVITE = crlf(`INVITE sip:bob@ocs.test SIP/2.0
Via: SIP/2.0/TCP peer.invalid;branch=z9hG4bKstack1
Max-Forwards: 70
From: <sip:alice@ocs.test>;tag=a1
To: <sip:bob@ocs.test>
Call-ID: stack-1@test
CSeq: 1 INVITE
Content-Length: 0

`);

test('transactions over a real TCP flow: 100, 486, ACK absorbed, maps empty; pending client tx fails on close', async () => {
  const h = await startLayer();
  harnesses.push(h);
  const user = new RecordingUser();
  const layer = createTransactionLayer(h.layer, user, { T1: 10, T2: 40, T4: 50, C: 1000 });
  user.handle = (tx) => tx.respond(createResponse(tx.request, 486, 'Busy Here', { toTag: 'srv' }));
  const p = await RawPeer.open(h.port);
  peers.push(p);
  p.write(INVITE);
  await until(() => p.data.includes('486 Busy Here'), '486');
  assert.match(p.data, /^SIP\/2\.0 100 Trying/);
  assert.equal(layer.stats().server, 1, 'Completed waits for the ACK');
  p.write(INVITE.replace(/INVITE/g, 'ACK').replace('To: <sip:bob@ocs.test>', 'To: <sip:bob@ocs.test>;tag=srv'));
  await until(() => layer.stats().server === 0, 'ACK ends the transaction');
  assert.equal(user.acks.length, 0);

  // The server sends a request back on the inbound flow; the peer disconnects before answering.
  const flow = h.received[0]!.flow;
  const errors: Error[] = [];
  const req = createRequest({
    method: 'OPTIONS', uri: 'sip:peer.invalid', from: '<sip:ocs.test>;tag=s1', to: '<sip:alice@ocs.test>',
    callId: 'srv-1@test', cseq: 1, via: 'SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKsrv1',
  });
  layer.sendRequest(req, flow, { onResponse: () => {}, onTimeout: () => {}, onTransportError: (e) => errors.push(e) });
  await until(() => p.data.includes('OPTIONS sip:peer.invalid'), 'request reaches the peer');
  p.destroy();
  await until(() => errors.length === 1, 'transport error');
  assert.deepEqual(layer.stats(), { server: 0, client: 0 });
  layer.close();
});
