import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Dispatcher } from '../dispatcher/dispatcher';
import { MemoryServerTransaction, request } from '../dispatcher/testing';
import { createLogger } from '../log';
import { DEFAULT_REGISTRAR } from '../config';
import { contactsOf } from '../sip/message/index';
import type { Binding } from '../db/bindings';
import { type BindingRecords, bindingKey } from './binding';
import { LocationService } from './location';
import { Registrar } from './register';

class MemoryRecords implements BindingRecords {
  readonly rows = new Map<string, Binding>();
  async upsert(b: Binding) {
    this.rows.set(`${b.aor}|${bindingKey(b)}`, { ...b });
  }
  async remove(aor: string, key: string) {
    this.rows.delete(`${aor}|${key}`);
  }
  async removeExpired(now: number) {
    let n = 0;
    for (const [k, b] of this.rows) if (b.expiresAt <= now) (this.rows.delete(k), n++);
    return n;
  }
  async listByFrontEnd(fe: string) {
    return [...this.rows.values()].filter((b) => b.frontEnd === fe);
  }
}

const log = createLogger('silent');

function setup(now = () => 1_000_000) {
  const records = new MemoryRecords();
  const location = new LocationService(records, log, now);
  const registrar = new Registrar({ domain: 'ocs.test', frontEnd: 'fe1', settings: DEFAULT_REGISTRAR, location, now });
  const dispatcher = new Dispatcher(log, 'test').use('auth', async (ctx, next) => {
    ctx.user = 'alice';
    return next();
  });
  dispatcher.on('REGISTER', registrar);
  const send = async (text: string) => {
    const tx = new MemoryServerTransaction(request(text));
    await dispatcher.dispatch(tx);
    return tx.final!;
  };
  return { records, location, send };
}

const REG = (contact: string, extra = '', cseq = 1, to = 'alice') => `
REGISTER sip:ocs.test SIP/2.0
Via: SIP/2.0/TCP 127.0.0.1:40000;branch=z9hG4bK${cseq}x${Math.random().toString(36).slice(2)}
Max-Forwards: 70
From: <sip:alice@ocs.test>;tag=a1
To: <sip:${to}@ocs.test>
Call-ID: reg-1
CSeq: ${cseq} REGISTER
Contact: ${contact}
${extra}`;

describe('Registrar (RFC 3261 §10.3, RFC 5626, RFC 5627)', () => {
  test('a binding is stored, listed in the 200 with its expiry, and persisted', async () => {
    const { send, location, records } = setup();
    const res = await send(REG('<sip:alice@127.0.0.1:40000;transport=tcp>', 'Expires: 600'));
    assert.equal(res.status, 200);
    const contacts = contactsOf(res);
    assert.equal(contacts.length, 1);
    assert.equal(contacts[0]!.params.get('expires'), '600');
    assert.equal(location.lookup('sip:alice@ocs.test').length, 1);
    assert.equal(records.rows.size, 1);
  });

  test('too brief an interval gets 423 with Min-Expires', async () => {
    const { send } = setup();
    const res = await send(REG('<sip:alice@127.0.0.1:40000>', 'Expires: 5'));
    assert.equal(res.status, 423);
    assert.equal(res.headers.get('Min-Expires'), String(DEFAULT_REGISTRAR.minExpires));
  });

  test('registering someone else is forbidden', async () => {
    const { send } = setup();
    const res = await send(REG('<sip:bob@127.0.0.1:40000>', '', 1, 'bob'));
    assert.equal(res.status, 403);
  });

  test('an out-of-order CSeq for the same Call-ID does not change the binding', async () => {
    const { send, location } = setup();
    assert.equal((await send(REG('<sip:alice@127.0.0.1:40000>', 'Expires: 600', 5))).status, 200);
    const res = await send(REG('<sip:alice@127.0.0.1:40000>', 'Expires: 0', 4));
    assert.equal(res.status, 500);
    assert.equal(location.lookup('sip:alice@ocs.test').length, 1);
  });

  test('Contact * with Expires: 0 removes every binding; * with anything else is 400', async () => {
    const { send, location } = setup();
    await send(REG('<sip:alice@127.0.0.1:40000>', 'Expires: 600', 1));
    assert.equal((await send(REG('*', 'Expires: 10', 2))).status, 400);
    assert.equal((await send(REG('*', 'Expires: 0', 3))).status, 200);
    assert.equal(location.lookup('sip:alice@ocs.test').length, 0);
  });

  test('outbound + GRUU: instance and reg-id key the binding, the 200 carries pub-gruu and Require: outbound', async () => {
    const { send, location } = setup();
    const c = '<sip:x@y.invalid;transport=ws;ob>;+sip.instance="<urn:uuid:00000000-0000-4000-8000-000000000001>";reg-id=1';
    const res = await send(REG(c, 'Supported: outbound, gruu\nExpires: 600'));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('Require'), 'outbound');
    const contact = contactsOf(res)[0]!;
    assert.match(contact.params.get('pub-gruu') ?? '', /sip:alice@ocs\.test;gr=urn:uuid:0+-0000-4000-8000-0+1/);
    const b = location.byInstance('sip:alice@ocs.test', 'urn:uuid:00000000-0000-4000-8000-000000000001');
    assert.ok(b);
    // The same instance registering a new contact replaces, not adds.
    await send(REG(c.replace('sip:x@', 'sip:z@'), 'Supported: outbound, gruu\nExpires: 600', 2));
    assert.equal(location.lookup('sip:alice@ocs.test').length, 1);
  });

  test('the number of endpoints per user is capped', async () => {
    const { send } = setup();
    let last = 0;
    for (let i = 0; i <= DEFAULT_REGISTRAR.maxBindingsPerAor; i++) {
      last = (await send(REG(`<sip:alice@127.0.0.${i + 1}:40000>`, 'Expires: 600', i + 1))).status;
    }
    assert.equal(last, 403);
  });

  test('a closed flow takes its WebSocket bindings with it', async () => {
    const { send, location, records } = setup();
    await send(REG('<sip:x@y.invalid;transport=ws>', 'Expires: 600'));
    assert.equal(location.size, 1);
    location.flowClosed('flowA0123456789');
    assert.equal(location.size, 0);
    await new Promise((r) => setImmediate(r));
    assert.equal(records.rows.size, 0);
  });
});

test('location: a refresh or the same endpoint on a new connection is not a change; a new or removed endpoint is', async () => {
  const records = new MemoryRecords();
  const location = new LocationService(records, log, () => 1_000_000);
  const changes: number[] = [];
  location.onChange((_aor, bindings) => changes.push(bindings.length));
  const base: Binding = { aor: 'sip:alice@ocs.test', contact: 'sip:alice@h:5060;transport=tcp', instanceId: 'urn:uuid:1', regId: 1, flowId: 'f1', frontEnd: 'fe1', expiresAt: 2_000_000, q: 1, callId: 'c', cseq: 1, updatedAt: 1 };
  await location.put(base);
  await location.put({ ...base, cseq: 2, expiresAt: 2_100_000 }); // refresh
  assert.deepEqual(changes, [1]);
  assert.equal(records.rows.get(`sip:alice@ocs.test|${bindingKey(base)}`)?.cseq, 2, 'the refresh is still written');
  await location.put({ ...base, cseq: 3, flowId: 'f2' }); // reconnected
  await location.put({ ...base, cseq: 4, flowId: 'f2', contact: 'sip:alice@h:5070;transport=tcp' });
  assert.deepEqual(changes, [1], 'the same endpoint (instance, reg-id)');
  assert.equal(location.lookup(base.aor)[0]?.contact, 'sip:alice@h:5070;transport=tcp', 'routing uses the new contact');
  await location.put({ ...base, instanceId: 'urn:uuid:2', flowId: 'f3' }); // a second device
  await location.remove(base.aor, bindingKey(base));
  assert.deepEqual(changes, [1, 2, 1]);
  assert.equal(location.byContactUri('sip:alice@h:5070;transport=tcp'), undefined, 'contact index follows');
});
