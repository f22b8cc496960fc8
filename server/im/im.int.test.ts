/**
 * IM policy against a whole Front End: delivery to every endpoint (sip.js over WebSocket), typing
 * indications pass through with their own rate limit, 413 / 415 / 480, and a blocked sender gets
 * an answer that cannot be told from the one for a user nobody is signed in as.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Messager, UserAgent } from 'sip.js';
import { passwordOf, TestFrontEnd, waitFor } from '../testing/frontend';
import { SipJsPeople, type SipJsClient } from '../testing/sipjs';
import type { WireMessage } from '../testing/sip-wire';
import { contactServiceOf } from '../contacts/index';
import { IS_COMPOSING_TYPE } from './policy';
import { TYPING_ACTIVE as TYPING } from './testkit';


function send(from: SipJsClient, to: string, body: string, contentType: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('MESSAGE: no final response')), 5_000);
    new Messager(from.ua, UserAgent.makeURI(to)!, body, contentType)
      .message({ requestDelegate: { onAccept: (r) => (clearTimeout(timer), resolve(r.message.statusCode ?? 0)), onReject: (r) => (clearTimeout(timer), resolve(r.message.statusCode ?? 0)) } })
      .catch((e: unknown) => (clearTimeout(timer), reject(e)));
  });
}

/** Everything in a response but the per-transaction values: status, reason, header names in order, other values. */
function shape(res: WireMessage): unknown {
  const perTransaction = new Set(['via', 'from', 'to', 'call-id', 'cseq']);
  return {
    status: res.status,
    reason: res.reason,
    names: res.headers.map(([n]) => n.toLowerCase()),
    values: res.headers.filter(([n]) => !perTransaction.has(n.toLowerCase())),
    toTagged: /;tag=/.test(res.header('To') ?? ''),
    body: res.body.toString(),
  };
}

describe('IM policy', () => {
  let t: TestFrontEnd;
  const people = new SipJsPeople();
  const online = (user: string) => people.online(t, user);
  const aor = (user: string): string => `sip:${user}@${t.domain}`;

  before(async () => {
    t = await TestFrontEnd.start({ users: ['alice', 'bob', 'carol', 'dave', 'erin'].map((name) => ({ name, password: passwordOf(name) })) });
  });
  after(async () => {
    await people.stopAll();
    await t?.close();
  });

  test('a MESSAGE reaches every endpoint of the recipient once; typing passes through', async () => {
    const alice = await online('alice');
    const bob1 = await online('bob');
    const bob2 = await online('bob');
    assert.equal(await alice.sendMessage(bob1.aor, 'hello both'), 200);
    for (const b of [bob1, bob2]) {
      await b.waitForMessage('hello both');
      assert.equal(b.messages.filter((m) => m.request.body === 'hello both').length, 1);
    }
    assert.equal(await send(alice, bob1.aor, TYPING, IS_COMPOSING_TYPE), 200);
    for (const b of [bob1, bob2]) {
      const m = await b.waitForMessage(TYPING);
      assert.equal(m.request.getHeader('content-type'), IS_COMPOSING_TYPE);
    }
    const cpim = 'From: <sip:alice@ocs.test>\r\nTo: <sip:bob@ocs.test>\r\n\r\nContent-Type: text/plain\r\n\r\nwrapped';
    assert.equal(await send(alice, bob1.aor, cpim, 'message/cpim'), 200);
    await bob2.waitForMessage(cpim);
  });

  test('size limit: 16 KiB passes, one byte more is 413', async () => {
    await waitFor(() => t.fe.location.lookup(aor('bob')).length > 0, 5_000, 'bob online');
    const ep = await t.registered('TCP', 'alice');
    const ok = await ep.request('MESSAGE', aor('bob'), { body: 'a'.repeat(16 * 1024), contentType: 'text/plain' });
    assert.equal(ok.status, 200, ok.startLine);
    const big = await ep.request('MESSAGE', aor('bob'), { body: 'a'.repeat(16 * 1024 + 1), contentType: 'text/plain' });
    assert.equal(big.status, 413, big.startLine);
    assert.match(big.reason ?? '', /16384 bytes/);
  });

  test('content types outside the allow-list are 415 with Accept', async () => {
    const ep = await t.registered('TCP', 'alice');
    for (const type of ['application/json', 'text/html', 'application/sdp']) {
      const res = await ep.request('MESSAGE', aor('bob'), { body: '{}', contentType: type });
      assert.equal(res.status, 415, `${type}: ${res.startLine}`);
      assert.equal(res.header('Accept'), `text/plain, ${IS_COMPOSING_TYPE}, message/cpim`);
    }
  });

  test('a recipient with no endpoint: 480 from the router; unknown: 404', async () => {
    const ep = await t.registered('TCP', 'alice');
    const res = await ep.request('MESSAGE', aor('carol'), { body: 'are you there?', contentType: 'text/plain' });
    assert.equal(res.status, 480);
    assert.equal(res.reason, 'Temporarily Unavailable (nobody is signed in)');
    assert.equal((await ep.request('MESSAGE', aor('nobody'), { body: 'x', contentType: 'text/plain' })).status, 404);
  });

  test('a blocked sender gets exactly the offline answer, for messages and typing; unblocking restores delivery', async () => {
    const contacts = contactServiceOf({ db: t.fe.db, config: t.fe.config, log: t.fe.log });
    const bob = people.of('bob');
    await contacts.apply('bob', { op: 'setAccessLevel', uri: aor('dave'), level: 'blocked' });
    const dave = await t.registered('TCP', 'dave');
    const offline = await dave.request('MESSAGE', aor('carol'), { body: 'hi', contentType: 'text/plain' });
    const blocked = await dave.request('MESSAGE', aor('bob'), { body: 'hi', contentType: 'text/plain' });
    assert.equal(offline.status, 480);
    assert.deepEqual(shape(blocked), shape(offline));
    const typingOffline = await dave.request('MESSAGE', aor('carol'), { body: TYPING, contentType: IS_COMPOSING_TYPE });
    const typingBlocked = await dave.request('MESSAGE', aor('bob'), { body: TYPING, contentType: IS_COMPOSING_TYPE });
    assert.deepEqual(shape(typingBlocked), shape(typingOffline));
    // Others still reach bob, and bob never saw dave's messages.
    const erin = await t.registered('TCP', 'erin');
    assert.equal((await erin.request('MESSAGE', aor('bob'), { body: 'from erin', contentType: 'text/plain' })).status, 200);
    await bob.waitForMessage('from erin');
    assert.ok(!bob.messages.some((m) => /^sip:dave@/.test(m.request.from.uri.toString())));

    await contacts.apply('bob', { op: 'setAccessLevel', uri: aor('dave'), level: null });
    assert.equal((await dave.request('MESSAGE', aor('bob'), { body: 'unblocked', contentType: 'text/plain' })).status, 200);
    await bob.waitForMessage('unblocked');
  });

  test('typing indications have their own rate limit per sender; text still passes', async () => {
    const erin = await t.registered('TCP', 'erin');
    const statuses: number[] = [];
    let limited: WireMessage | undefined;
    for (let i = 0; i < 30 && !limited; i++) {
      const res = await erin.request('MESSAGE', aor('bob'), { body: TYPING, contentType: IS_COMPOSING_TYPE });
      statuses.push(res.status!);
      if (res.status === 503) limited = res;
    }
    assert.ok(limited, `statuses: ${statuses.join(',')}`);
    assert.match(limited.header('Retry-After') ?? '', /^\d+$/);
    assert.ok(statuses.filter((s) => s === 200).length >= 10, 'the burst capacity passed first');
    assert.equal((await erin.request('MESSAGE', aor('bob'), { body: 'still here', contentType: 'text/plain' })).status, 200);
    // Another sender is not limited by erin's typing.
    const alice = await t.registered('TCP', 'alice');
    assert.equal((await alice.request('MESSAGE', aor('bob'), { body: TYPING, contentType: IS_COMPOSING_TYPE })).status, 200);
  });
});
