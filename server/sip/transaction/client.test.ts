import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { SipResponse } from '../message/types';
import { cseqOf, toOf, tagOf, topVia } from '../message/accessors';
import { createTransactionLayer, type TransactionLayerOptions } from './layer';
import type { ClientTransactionHandlers, TimerSettings } from './types';
import { InjectingTransport, RecordingFlow, RecordingUser, invite, request, responseTo, until } from './test-support';

const FAST: TimerSettings = { T1: 5, T2: 20, T4: 25, C: 1_000 };

function setup(options: TransactionLayerOptions = {}) {
  const transport = new InjectingTransport();
  const user = new RecordingUser();
  const layer = createTransactionLayer(transport, user, FAST, options);
  const flow = new RecordingFlow();
  return { transport, user, layer, flow };
}

function recorder() {
  const got = { responses: [] as SipResponse[], timeouts: 0, errors: [] as Error[] };
  const handlers: ClientTransactionHandlers = {
    onResponse: (r) => got.responses.push(r),
    onTimeout: () => got.timeouts++,
    onTransportError: (e) => got.errors.push(e),
  };
  return { got, handlers };
}

const REGISTER = `REGISTER sip:ocs.test SIP/2.0
Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bKreg1
Max-Forwards: 70
From: <sip:alice@ocs.test>;tag=a1
To: <sip:alice@ocs.test>
Call-ID: reg-1@test
CSeq: 3 REGISTER
Content-Length: 0

`;

describe('non-INVITE client transaction (§17.1.2)', () => {
  test('final response to TU, then Completed absorbs retransmissions and Timer K ends it', async () => {
    const { transport, user, layer, flow } = setup({ isReliable: () => false });
    const { got, handlers } = recorder();
    const tx = layer.sendRequest(request(REGISTER), flow, handlers);
    assert.equal(tx.state, 'Trying');
    assert.equal(flow.requests().length >= 1, true);
    transport.deliver(responseTo(REGISTER, 100), flow);
    assert.equal(tx.state, 'Proceeding');
    transport.deliver(responseTo(REGISTER, 200), flow);
    assert.equal(tx.state, 'Completed');
    transport.deliver(responseTo(REGISTER, 200), flow);
    assert.deepEqual(got.responses.map((r) => r.status), [100, 200], 'the retransmitted 200 is absorbed');
    assert.equal(user.strays.length, 0);
    await until(() => tx.state === 'Terminated', 'Timer K');
    assert.deepEqual(layer.stats(), { server: 0, client: 0 });
  });

  test('Timer E retransmits and Timer F times out (unreliable)', async () => {
    const { layer, flow } = setup({ isReliable: () => false });
    const { got, handlers } = recorder();
    const tx = layer.sendRequest(request(REGISTER), flow, handlers);
    await until(() => got.timeouts === 1, 'Timer F');
    assert.ok(flow.requests().length >= 3, `Timer E retransmitted (${flow.requests().length} copies)`);
    assert.equal(tx.state, 'Terminated');
    assert.equal(got.responses.length, 0);
    assert.equal(layer.stats().client, 0);
  });

  test('reliable flow: no retransmission, Timer F still times out', async () => {
    const { layer, flow } = setup();
    const { got, handlers } = recorder();
    layer.sendRequest(request(REGISTER), flow, handlers);
    await until(() => got.timeouts === 1, 'Timer F');
    assert.equal(flow.requests().length, 1);
  });

  test('a closing flow and a refusing flow are transport errors', () => {
    const { transport, layer, flow } = setup();
    const a = recorder();
    layer.sendRequest(request(REGISTER), flow, a.handlers);
    transport.closeFlow(flow);
    assert.equal(a.got.errors.length, 1);
    const b = recorder();
    const dead = new RecordingFlow();
    dead.accepting = false;
    const tx = layer.sendRequest(request(REGISTER), dead, b.handlers);
    assert.equal(b.got.errors.length, 1);
    assert.equal(tx.state, 'Terminated');
    assert.deepEqual(layer.stats(), { server: 0, client: 0 });
  });

  test('a response matching no transaction is stray', () => {
    const { transport, user, flow } = setup();
    transport.deliver(responseTo(REGISTER, 200), flow);
    assert.equal(user.strays.length, 1);
  });
});

describe('INVITE client transaction (§17.1.1)', () => {
  const INVITE = invite('z9hG4bKout1', { extra: 'Route: <sip:edge.ocs.test;lr>\nRoute: <sip:core.ocs.test;lr>\n' });

  test('1xx then non-2xx: ACK with the same branch and the response To; retransmission re-ACKed, not passed up', async () => {
    const { transport, layer, flow } = setup({ isReliable: () => false });
    const { got, handlers } = recorder();
    const tx = layer.sendRequest(request(INVITE), flow, handlers);
    assert.equal(tx.state, 'Calling');
    transport.deliver(responseTo(INVITE, 180), flow);
    assert.equal(tx.state, 'Proceeding');
    transport.deliver(responseTo(INVITE, 486, 'busy1'), flow);
    assert.equal(tx.state, 'Completed');
    const acks = () => flow.requests().filter((r) => r.method === 'ACK');
    assert.equal(acks().length, 1);
    const ack = acks()[0]!;
    assert.equal(topVia(ack).params.get('branch'), 'z9hG4bKout1');
    assert.equal(ack.headers.getAll('Via').length, 1);
    assert.equal(tagOf(toOf(ack)), 'busy1');
    assert.deepEqual(cseqOf(ack), { seq: 1, method: 'ACK' });
    assert.deepEqual(ack.headers.getAll('Route'), ['<sip:edge.ocs.test;lr>', '<sip:core.ocs.test;lr>']);
    transport.deliver(responseTo(INVITE, 486, 'busy1'), flow);
    assert.equal(acks().length, 2, 'retransmitted final answered with the same ACK');
    assert.deepEqual(got.responses.map((r) => r.status), [180, 486]);
    await until(() => tx.state === 'Terminated', 'Timer D');
    assert.equal(layer.stats().client, 0);
  });

  test('2xx enters Accepted (RFC 6026): every 2xx goes to the TU, no ACK by the transaction, Timer M ends it', async () => {
    const { transport, layer, flow } = setup();
    const { got, handlers } = recorder();
    const tx = layer.sendRequest(request(INVITE), flow, handlers);
    transport.deliver(responseTo(INVITE, 200, 'fork1'), flow);
    assert.equal(tx.state, 'Accepted');
    transport.deliver(responseTo(INVITE, 200, 'fork2'), flow);
    transport.deliver(responseTo(INVITE, 200, 'fork1'), flow);
    assert.equal(got.responses.length, 3);
    assert.equal(flow.requests().filter((r) => r.method === 'ACK').length, 0);
    await until(() => tx.state === 'Terminated', 'Timer M');
    assert.equal(layer.stats().client, 0);
  });

  test('Timer A retransmits, Timer B times out (unreliable)', async () => {
    const { layer, flow } = setup({ isReliable: () => false });
    const { got, handlers } = recorder();
    layer.sendRequest(request(INVITE), flow, handlers);
    await until(() => got.timeouts === 1, 'Timer B');
    assert.ok(flow.requests().length >= 3);
    assert.equal(layer.stats().client, 0);
  });

  test('cancel(): waits for a provisional, then sends CANCEL (§9.1) as its own transaction', () => {
    const { transport, user, layer, flow } = setup();
    const { got, handlers } = recorder();
    const tx = layer.sendRequest(request(INVITE), flow, handlers);
    tx.cancel('SIP;cause=200;text="Call completed elsewhere"');
    assert.equal(flow.requests().filter((r) => r.method === 'CANCEL').length, 0, 'no CANCEL before a provisional');
    transport.deliver(responseTo(INVITE, 180), flow);
    const cancels = flow.requests().filter((r) => r.method === 'CANCEL');
    assert.equal(cancels.length, 1);
    const cancel = cancels[0]!;
    assert.equal(topVia(cancel).params.get('branch'), 'z9hG4bKout1');
    assert.equal(cancel.headers.getAll('Via').length, 1);
    assert.deepEqual(cseqOf(cancel), { seq: 1, method: 'CANCEL' });
    assert.equal(cancel.headers.get('To'), '<sip:bob@ocs.test>');
    assert.equal(cancel.headers.get('Call-ID'), 'call-1@test');
    assert.deepEqual(cancel.headers.getAll('Route'), ['<sip:edge.ocs.test;lr>', '<sip:core.ocs.test;lr>']);
    assert.match(cancel.headers.get('Reason') ?? '', /cause=200/);
    assert.deepEqual(layer.stats(), { server: 0, client: 2 });
    tx.cancel();
    assert.equal(flow.requests().filter((r) => r.method === 'CANCEL').length, 1, 'cancel() is idempotent');

    const cancelText = INVITE.replace(/INVITE/g, 'CANCEL');
    transport.deliver(responseTo(cancelText, 200), flow);
    assert.deepEqual(got.responses.map((r) => r.status), [180], 'the CANCEL 200 is not the INVITE\'s');
    transport.deliver(responseTo(INVITE, 487, 'x'), flow);
    assert.deepEqual(got.responses.map((r) => r.status), [180, 487]);
    assert.equal(flow.requests().filter((r) => r.method === 'ACK').length, 1);
    assert.equal(user.strays.length, 0);
    assert.deepEqual(layer.stats(), { server: 0, client: 0 });
  });

  test('cancel() after a final response is a no-op', () => {
    const { transport, layer, flow } = setup();
    const { handlers } = recorder();
    const tx = layer.sendRequest(request(INVITE), flow, handlers);
    transport.deliver(responseTo(INVITE, 603, 'x'), flow);
    tx.cancel();
    assert.equal(flow.requests().filter((r) => r.method === 'CANCEL').length, 0);
  });

  test('flow closing while Proceeding is a transport error', () => {
    const { transport, layer, flow } = setup();
    const { got, handlers } = recorder();
    layer.sendRequest(request(INVITE), flow, handlers);
    transport.deliver(responseTo(INVITE, 183), flow);
    transport.closeFlow(flow);
    assert.equal(got.errors.length, 1);
    assert.equal(got.errors[0]!.name, 'TransportError');
    assert.equal(layer.stats().client, 0);
  });

  test('close() terminates everything', () => {
    const { transport, layer, flow } = setup();
    layer.sendRequest(request(INVITE), flow, recorder().handlers);
    transport.deliver(invite('z9hG4bKin2'), flow);
    assert.deepEqual(layer.stats(), { server: 1, client: 1 });
    layer.close();
    assert.deepEqual(layer.stats(), { server: 0, client: 0 });
  });
});
