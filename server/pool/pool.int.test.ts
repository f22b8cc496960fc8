/**
 * Two Front Ends in a pool on one PostgreSQL database: each knows the other; a MESSAGE or a call
 * from a user on one reaches a user registered on the other (and every endpoint of theirs, once);
 * the dialog's requests follow both Record-Routes; presence published on one is seen by watchers
 * on the other; a client cannot pass for a Front End; a member that left is not routed to.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pgTestDatabase, PG_SKIP_REASON } from '../db/testing';
import { passwordOf, TestFrontEnd, waitFor } from '../testing/frontend';
import { SipJsPeople, waitForSessionState } from '../testing/sipjs';
import { AVAILABILITY as A } from '../../shared/presence/availability';
import { publish, subscribe, viewWhere } from '../presence/testkit';
import { POOL_HEADER } from './credentials';
import { SENT_TO_HEADER } from '../im/sent-copies';
import { spawnMcu } from '../../mcu/spawn';
import { workerMissingReason } from '../../mcu/media/workerBin';
import { ConferenceClient } from '../conferencing/focus/testing';

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'fred'];

describe('a pool of two Front Ends on PostgreSQL', { skip: process.env.OCS_TEST_PG_URL ? false : PG_SKIP_REASON }, () => {
  let db: { url: string; drop(): Promise<void> };
  let fe1: TestFrontEnd;
  let fe2: TestFrontEnd;
  const people = new SipJsPeople();
  const online = (t: TestFrontEnd, user: string) => people.online(t, user);

  before(async () => {
    db = await pgTestDatabase();
    const overrides = { dbUrl: db.url, poolHeartbeatMs: 200 };
    fe1 = await TestFrontEnd.start({ overrides, users: USERS.map((name) => ({ name, password: passwordOf(name) })) });
    fe2 = await TestFrontEnd.start({ overrides });
    await waitFor(() => fe1.fe.pool.members.others().length === 1 && fe2.fe.pool.members.others().length === 1, 5_000, 'the members see each other');
  });
  after(async () => {
    await people.stopAll();
    await fe1?.close();
    await fe2?.close();
    await db?.drop();
  });

  test('a MESSAGE from a user on one Front End reaches the recipient on the other, with the asserted identity and without the pool credential', async () => {
    const alice = await online(fe1, 'alice');
    const bob = await online(fe2, 'bob');
    assert.equal(await alice.sendMessage(bob.aor, 'across the pool'), 200);
    const got = await bob.waitForMessage('across the pool');
    assert.equal(got.request.getHeader('P-Asserted-Identity'), `<sip:alice@${fe1.domain}>`);
    assert.equal(got.request.getHeader(POOL_HEADER), undefined);
    // And back.
    assert.equal(await bob.sendMessage(alice.aor, 'and back'), 200);
    await alice.waitForMessage('and back');
  });

  test('a user signed in on both Front Ends gets a MESSAGE once on each endpoint', async () => {
    const carolOn1 = await online(fe1, 'carol');
    const carolOn2 = await online(fe2, 'carol');
    const alice = people.of('alice');
    assert.equal(await alice.sendMessage(carolOn1.aor, 'to both'), 200);
    for (const c of [carolOn1, carolOn2]) {
      await c.waitForMessage('to both');
      assert.equal(c.messages.filter((m) => m.request.body === 'to both').length, 1);
    }
  });

  test("what a user sends is copied to their endpoints on the other Front End too, once", async () => {
    const alice = people.of('alice');
    const aliceOn2 = await online(fe2, 'alice');
    const bob = people.of('bob');
    assert.equal(await alice.sendMessage(bob.aor, 'copied across'), 200);
    const copy = await aliceOn2.waitForMessage('copied across');
    assert.equal(copy.request.getHeader(SENT_TO_HEADER), `<sip:bob@${fe1.domain}>`);
    assert.equal(copy.request.from.uri.toString(), `sip:alice@${fe1.domain}`);
    assert.equal(aliceOn2.messages.filter((m) => m.request.body === 'copied across').length, 1);
    assert.ok(!alice.messages.some((m) => m.request.body === 'copied across'), 'not back to the sending endpoint');
    await aliceOn2.stop();
  });

  test('a user who signs in on the other Front End is reachable at once, though this one had just found nobody', async () => {
    const alice = people.of('alice');
    assert.equal(await alice.sendMessage(`sip:fred@${fe1.domain}`, 'nobody yet'), 480);
    const fred = await online(fe2, 'fred');
    // The answer "nobody" is cached for 5 s; the member where fred signed in says his endpoints changed.
    await waitFor(async () => (await alice.sendMessage(fred.aor, 'now?')) === 200, 3_000, 'delivered after the sign-in');
    await fred.waitForMessage('now?');
    await fred.stop();
  });

  test('a call across the pool: INVITE, 200, ACK and BYE from the callee follow both Record-Routes', async () => {
    const alice = people.of('alice');
    const bob = people.of('bob');
    const inviter = alice.inviter(bob.aor);
    await inviter.invite();
    const invitation = await bob.waitForInvitation();
    assert.equal(invitation.request.getHeaders('record-route').length, 2, 'each Front End record-routes');
    let acked = false;
    invitation.delegate = { onAck: () => void (acked = true) };
    await invitation.accept();
    await waitForSessionState(inviter, 'Established');
    await bob.until(() => (acked ? true : undefined), 5_000, 'ACK at the callee');
    await invitation.bye();
    await waitForSessionState(inviter, 'Terminated');
  });

  test('presence across the pool: a watcher on one Front End follows a person who signs in and publishes on the other', async () => {
    const watcher = await fe1.registered('TCP', 'dave');
    const w = await subscribe(watcher, `sip:erin@${fe1.domain}`);
    assert.equal(w.res.status, 200);
    await viewWhere(watcher, w.callId, (v) => v.class === 'offline', 'offline first');
    const erin = await fe2.registered('TCP', 'erin');
    await viewWhere(watcher, w.callId, (v) => v.class === 'available', 'signed in on the other Front End');
    const call = await publish(erin, { availability: A.busy, activity: 'in-a-call', device: 'phone', userSet: false });
    assert.equal(call.res.status, 200);
    await viewWhere(watcher, w.callId, (v) => v.class === 'busy' && v.activity === 'in-a-call', 'busy, published on the other Front End');
    assert.equal((await erin.register({ expires: 0 })).status, 200);
    await viewWhere(watcher, w.callId, (v) => v.class === 'offline', 'signed out on the other Front End');
  });

  test('presence across the pool: a watcher who subscribes later gets the state published earlier on the other Front End', async () => {
    const fred = await fe2.registered('TCP', 'fred');
    assert.equal((await publish(fred, { availability: A.away, userSet: true, note: 'Back at 3' })).res.status, 200);
    const watcher = await fe1.registered('TCP', 'dave');
    const w = await subscribe(watcher, `sip:fred@${fe1.domain}`);
    assert.equal(w.res.status, 200);
    const v = await viewWhere(watcher, w.callId, (x) => x.class === 'away', 'away, as published before the subscription');
    assert.equal(v.note, 'Back at 3');
  });

  test('a conference in the pool: participants on both Front Ends share one Focus and see one roster', { skip: workerMissingReason() }, async () => {
    const mcu = await spawnMcu({ env: { secret: fe1.fe.mcuSecret, factoryUrl: fe1.fe.mcuFactoryUrl, port: 0, host: '127.0.0.1', workers: 1, logLevel: 'warn', loadIntervalMs: 500 }, stderr: 'ignore' });
    try {
      await waitFor(async () => (await fe2.fe.mcuFactory.list()).some((m) => m.live), 10_000, 'the MCU, seen from both Front Ends');
      const alice = new ConferenceClient(await fe1.registered('TCP', 'alice'), fe1.domain);
      const bob = new ConferenceClient(await fe2.registered('TCP', 'bob'), fe2.domain);
      const created = await alice.factory({ name: 'addConference', meeting: { subject: 'Pool', access: 'anonymous', pin: '4242', invitees: [{ user: 'bob', role: 'attendee' }] } });
      assert.equal(created.code, 'success', created.message);
      const uri = created.meeting!.uri;
      // Bob dials in through the other Front End first: the conference is homed where it was first asked for.
      const b = await bob.join(uri);
      assert.equal(b.response.status, 200, b.response.startLine);
      assert.equal(b.answer?.role, 'attendee');
      assert.equal((await bob.subscribe(uri)).status, 200);
      const a = await alice.join(uri);
      assert.equal(a.answer?.role, 'organizer', 'the organizer is recognised through the asserted identity');
      assert.equal((await alice.subscribe(uri)).status, 200);
      for (const c of [alice, bob]) await c.waitState((s) => s.participants.filter((p) => p.status === 'connected').length === 2);
      // One Focus: in-dialog C3P from the far member reaches it along the Record-Route.
      const muted = await alice.c3p(uri, { name: 'muteUser', user: 'bob', kind: 'audio', muted: true });
      assert.equal(muted.code, 'success', muted.message);
      await bob.waitState((s) => s.participants.find((p) => p.user === 'bob')?.mutedByFocus.includes('audio') ?? false);
    } finally {
      await mcu.stop();
    }
  });

  test('a client cannot pass for a Front End: a request with a pool credential of its own is refused with 403', async () => {
    const ep = await fe2.registered('TCP', 'carol');
    const forged = await ep.request('MESSAGE', `sip:alice@${fe1.domain}`, {
      body: 'forged', contentType: 'text/plain', headers: [[POOL_HEADER, `fe=${fe1.fe.id};ts=${Date.now()};mac=${'A'.repeat(22)}`]],
    });
    assert.equal(forged.status, 403, forged.startLine);
    const alice = people.of('alice');
    assert.ok(!alice.messages.some((m) => m.request.body === 'forged'));
  });

  test('a Front End that left is not routed to: its users are offline for the others at once', async () => {
    await fe2.close();
    await waitFor(() => fe1.fe.pool.members.others().length === 0, 5_000, 'fe2 gone from the pool');
    const alice = people.of('alice');
    assert.equal(await alice.sendMessage(`sip:bob@${fe1.domain}`, 'anyone there?'), 480);
  });
});
