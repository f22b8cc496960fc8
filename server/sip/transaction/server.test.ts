import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { cseqOf, topVia } from '../message/accessors';
import { createTransactionLayer, type TransactionLayerOptions } from './layer';
import { InvalidStateError } from './errors';
import type { ServerTransaction, TimerSettings } from './types';
import { InjectingTransport, RecordingFlow, RecordingUser, invite, request, until } from './test-support';
import { createResponse } from '../message/response';

const FAST: TimerSettings = { T1: 5, T2: 20, T4: 25, C: 1_000 };

function setup(options: TransactionLayerOptions = {}) {
  const transport = new InjectingTransport();
  const user = new RecordingUser();
  const layer = createTransactionLayer(transport, user, FAST, options);
  const flow = new RecordingFlow();
  return { transport, user, layer, flow };
}

const statuses = (flow: RecordingFlow) => flow.responses().map((r) => r.status);

describe('INVITE server transaction (§17.2.1)', () => {
  test('100 Trying at once, 1xx resent on retransmission, non-2xx absorbed by ACK (reliable)', () => {
    const { transport, user, layer, flow } = setup();
    transport.deliver(invite(), flow);
    assert.equal(user.requests.length, 1);
    const tx = user.requests[0]!;
    assert.equal(tx.state, 'Proceeding');
    assert.deepEqual(statuses(flow), [100]);
    assert.equal(flow.responses()[0]!.headers.get('To'), '<sip:bob@ocs.test>', '100 Trying carries no To tag');

    tx.respond(createResponse(tx.request, 180));
    transport.deliver(invite(), flow); // retransmission
    assert.equal(user.requests.length, 1, 'retransmission is not a new request');
    assert.deepEqual(statuses(flow), [100, 180, 180]);

    const busy = createResponse(tx.request, 486);
    tx.respond(busy);
    assert.equal(tx.state, 'Completed');
    transport.deliver(invite(), flow);
    assert.deepEqual(statuses(flow), [100, 180, 180, 486, 486]);

    const toTag = busy.headers.get('To')!;
    transport.deliver(invite('z9hG4bKinv1', { method: 'ACK' }).replace('To: <sip:bob@ocs.test>', `To: ${toTag}`), flow);
    assert.equal(user.acks.length, 0, 'ACK for a non-2xx is absorbed');
    assert.equal(tx.state, 'Terminated', 'Timer I is zero on a reliable flow');
    assert.deepEqual(layer.stats(), { server: 0, client: 0 });
    assert.throws(() => tx.respond(createResponse(tx.request, 500)), InvalidStateError);
  });

  test('Timer G retransmits the final response and Timer H ends a transaction without ACK (unreliable)', async () => {
    const { transport, user, layer, flow } = setup({ isReliable: () => false });
    transport.deliver(invite(), flow);
    const tx = user.requests[0]!;
    let terminated = false;
    tx.onTerminated(() => (terminated = true));
    tx.respond(createResponse(tx.request, 603));
    await until(() => terminated, 'Timer H');
    const finals = statuses(flow).filter((s) => s === 603).length;
    assert.ok(finals >= 3, `Timer G retransmitted (${finals} copies)`);
    assert.equal(layer.stats().server, 0);
  });

  test('ACK moves Completed to Confirmed, which Timer I ends (unreliable)', async () => {
    const { transport, user, layer, flow } = setup({ isReliable: () => false });
    transport.deliver(invite(), flow);
    const tx = user.requests[0]!;
    tx.respond(createResponse(tx.request, 404));
    transport.deliver(invite('z9hG4bKinv1', { method: 'ACK', toTag: 'x' }), flow);
    assert.equal(tx.state, 'Confirmed');
    const sent = flow.sent.length;
    transport.deliver(invite('z9hG4bKinv1', { method: 'ACK', toTag: 'x' }), flow);
    transport.deliver(invite(), flow);
    assert.equal(flow.sent.length, sent, 'Confirmed absorbs ACK and INVITE retransmissions');
    await until(() => tx.state === 'Terminated', 'Timer I');
    assert.equal(layer.stats().server, 0);
  });

  test('2xx enters Accepted (RFC 6026): INVITE absorbed, ACK to the TU, more 2xx pass, Timer L ends it', async () => {
    const { transport, user, layer, flow } = setup();
    transport.deliver(invite(), flow);
    const tx = user.requests[0]!;
    tx.respond(createResponse(tx.request, 200, 'OK', { toTag: 'fork1' }));
    assert.equal(tx.state, 'Accepted');
    const sent = flow.sent.length;
    transport.deliver(invite(), flow);
    assert.equal(flow.sent.length, sent, 'retransmitted INVITE absorbed');
    assert.equal(user.requests.length, 1);
    transport.deliver(invite('z9hG4bKinv1', { method: 'ACK', toTag: 'fork1' }), flow);
    assert.equal(user.acks.length, 1, 'ACK for 2xx goes to the TU');
    tx.respond(createResponse(tx.request, 200, 'OK', { toTag: 'fork2' }));
    assert.equal(flow.sent.length, sent + 1, 'a second 2xx (another fork) is sent');
    assert.throws(() => tx.respond(createResponse(tx.request, 487)), InvalidStateError);
    await until(() => tx.state === 'Terminated', 'Timer L');
    assert.equal(layer.stats().server, 0);
  });

  test('delayed 100 Trying is sent when the TU stays silent, never when it answers', async () => {
    const { transport, user, flow } = setup({ inviteTrying: 'delayed' });
    user.handle = (tx) => tx.respond(createResponse(tx.request, 180));
    transport.deliver(invite('z9hG4bKquick'), flow);
    user.handle = () => {};
    transport.deliver(invite('z9hG4bKslow'), flow);
    await until(() => flow.responses().some((r) => r.status === 100), '100 Trying');
    const trying = flow.responses().filter((r) => r.status === 100);
    assert.equal(trying.length, 1);
    assert.equal(topVia(trying[0]!).params.get('branch'), 'z9hG4bKslow');
  });

  test('the TU throwing ends in 500', () => {
    const { transport, user, flow } = setup({ inviteTrying: 'never' });
    user.handle = () => {
      throw new Error('boom');
    };
    transport.deliver(invite(), flow);
    assert.deepEqual(statuses(flow), [500]);
  });

  test('RFC 2543 request without magic cookie: retransmission and ACK still match (inv2543)', () => {
    const { transport, user, layer, flow } = setup();
    const legacy = invite('z9hG4bK').replace(';branch=z9hG4bK', '');
    transport.deliver(legacy, flow);
    transport.deliver(legacy, flow);
    assert.equal(user.requests.length, 1);
    const tx = user.requests[0]!;
    const nope = createResponse(tx.request, 488);
    tx.respond(nope);
    const ack = legacy.replace(/INVITE/g, 'ACK').replace('To: <sip:bob@ocs.test>', `To: ${nope.headers.get('To')}`);
    transport.deliver(ack, flow);
    assert.equal(user.acks.length, 0);
    assert.equal(layer.stats().server, 0);
  });
});

describe('non-INVITE server transaction (§17.2.2)', () => {
  const options = `OPTIONS sip:ocs.test SIP/2.0
Via: SIP/2.0/TCP 127.0.0.1:40000;branch=z9hG4bKopt1
Max-Forwards: 70
From: <sip:alice@ocs.test>;tag=a1
To: <sip:ocs.test>
Call-ID: opt-1@test
CSeq: 7 OPTIONS
Content-Length: 0

`;

  test('Trying absorbs, Proceeding resends 1xx, Completed resends final until Timer J', async () => {
    const { transport, user, layer, flow } = setup({ isReliable: () => false });
    transport.deliver(options, flow);
    const tx = user.requests[0]!;
    assert.equal(tx.state, 'Trying');
    transport.deliver(options, flow);
    assert.equal(flow.sent.length, 0, 'Trying: retransmission absorbed');
    tx.respond(createResponse(tx.request, 183));
    assert.equal(tx.state, 'Proceeding');
    transport.deliver(options, flow);
    assert.deepEqual(statuses(flow), [183, 183]);
    tx.respond(createResponse(tx.request, 200));
    assert.equal(tx.state, 'Completed');
    transport.deliver(options, flow);
    assert.deepEqual(statuses(flow), [183, 183, 200, 200]);
    assert.throws(() => tx.respond(createResponse(tx.request, 500)), InvalidStateError);
    await until(() => tx.state === 'Terminated', 'Timer J');
    assert.equal(layer.stats().server, 0);
    assert.equal(user.requests.length, 1);
  });

  test('reliable flow: Timer J is zero', () => {
    const { transport, user, layer, flow } = setup();
    user.handle = (tx) => tx.respond(createResponse(tx.request, 200));
    transport.deliver(options, flow);
    assert.equal(user.requests[0]!.state, 'Terminated');
    assert.deepEqual(layer.stats(), { server: 0, client: 0 });
  });

  test('a closed flow ends the transaction when the final response cannot be sent', () => {
    const { transport, user, layer, flow } = setup();
    transport.deliver(options, flow);
    transport.closeFlow(flow);
    const tx = user.requests[0]!;
    tx.respond(createResponse(tx.request, 200));
    assert.equal(tx.state, 'Terminated');
    tx.respond(createResponse(tx.request, 200)); // quietly ignored: the transport ended it, not a final
    assert.equal(layer.stats().server, 0);
  });
});

describe('CANCEL (§9.2)', () => {
  test('matching CANCEL is answered 200 and fires onCancel; the TU then sends 487', () => {
    const { transport, user, layer, flow } = setup();
    let cancelled = 0;
    user.handle = (tx: ServerTransaction) => tx.onCancel(() => {
      cancelled++;
      tx.respond(createResponse(tx.request, 487));
    });
    transport.deliver(invite(), flow);
    transport.deliver(invite('z9hG4bKinv1', { method: 'CANCEL' }), flow);
    assert.equal(cancelled, 1);
    assert.equal(user.requests.length, 1, 'the CANCEL is not handed to the TU');
    const cancelOk = flow.responses().find((r) => cseqOf(r).method === 'CANCEL');
    assert.equal(cancelOk?.status, 200);
    const final = flow.responses().find((r) => cseqOf(r).method === 'INVITE' && r.status === 487);
    assert.ok(final);
    transport.deliver(invite('z9hG4bKinv1', { method: 'CANCEL' }), flow);
    assert.equal(cancelled, 1, 'a retransmitted CANCEL is absorbed by its own transaction');
    transport.deliver(invite('z9hG4bKinv1', { method: 'ACK', toTag: 'x' }), flow);
    assert.deepEqual(layer.stats(), { server: 0, client: 0 });
  });

  test('stray CANCEL and stray ACK go to the TU', () => {
    const { transport, user, flow } = setup();
    transport.deliver(invite('z9hG4bKnone', { method: 'CANCEL' }), flow);
    assert.equal(user.requests.length, 1);
    assert.equal(user.requests[0]!.request.method, 'CANCEL');
    transport.deliver(invite('z9hG4bKnone2', { method: 'ACK', toTag: 'x' }), flow);
    assert.equal(user.acks.length, 1);
  });

  test('CANCEL after the final response is still answered 200 but does not fire onCancel', () => {
    const { transport, user, flow } = setup();
    let cancelled = 0;
    user.handle = (tx) => tx.onCancel(() => cancelled++);
    transport.deliver(invite(), flow);
    user.requests[0]!.respond(createResponse(user.requests[0]!.request, 486));
    transport.deliver(invite('z9hG4bKinv1', { method: 'CANCEL' }), flow);
    assert.equal(cancelled, 0);
    assert.equal(flow.responses().find((r) => cseqOf(r).method === 'CANCEL')?.status, 200);
  });
});

test('request without parsable matching fields is dropped, not thrown', () => {
  const { transport, user, flow } = setup();
  const req = request(invite());
  req.headers.remove('Via');
  transport.deliver(req, flow);
  assert.equal(user.requests.length, 0);
});

describe('onFinal: the first final response, once', () => {
  test('non-INVITE: provisional responses do not fire it; the final does, once; a late listener gets it too', async () => {
    const { transport, user, flow } = setup();
    transport.deliver(invite('z9hG4bKmsg1', { method: 'MESSAGE' }), flow);
    const tx = user.requests[0]!;
    const seen: number[] = [];
    tx.onFinal((r) => seen.push(r.status));
    tx.respond(createResponse(tx.request, 100));
    assert.equal(seen.length, 0, "a provisional response does not fire it");
    tx.respond(createResponse(tx.request, 202));
    assert.deepEqual(seen, [202]);
    tx.onFinal((r) => seen.push(r.status + 1000));
    await Promise.resolve();
    assert.deepEqual(seen, [202, 1202]);
  });

  test('INVITE: the first 2xx fires it, further 2xx of other forks do not', () => {
    const { transport, user, flow } = setup();
    transport.deliver(invite(), flow);
    const tx = user.requests[0]!;
    const seen: number[] = [];
    tx.onFinal((r) => seen.push(r.status));
    tx.respond(createResponse(tx.request, 180));
    tx.respond(createResponse(tx.request, 200));
    tx.respond(createResponse(tx.request, 200));
    assert.deepEqual(seen, [200]);
  });

  test('INVITE: a failure response fires it', () => {
    const { transport, user, flow } = setup();
    transport.deliver(invite(), flow);
    const tx = user.requests[0]!;
    const seen: number[] = [];
    tx.onFinal((r) => seen.push(r.status));
    tx.respond(createResponse(tx.request, 486));
    assert.deepEqual(seen, [486]);
  });
});
