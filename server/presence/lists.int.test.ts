import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Subscriber, UserAgent } from 'sip.js';
import { TestFrontEnd, passwordOf, waitFor } from '../testing/frontend';
import { connectSipJs } from '../testing/sipjs';
import { contactServiceOf } from '../contacts/index';
import { AVAILABILITY as A } from '../../shared/presence/availability';
import { parsePresenceView } from '../../shared/presence/pidf';
import type { AccessLevel } from '../../shared/contacts';
import { presenceServiceOf } from './install';
import { listState, notifiesOf, publish, readListNotify, subscribe, viewWhere } from './testkit';

let fe: TestFrontEnd;
const LIST_SIZE = 200;
const members = Array.from({ length: LIST_SIZE }, (_, i) => `m${String(i).padStart(3, '0')}`);

before(async () => {
  fe = await TestFrontEnd.start({ overrides: { scryptLog2N: 1 } });
  await fe.fe.db.users.create({ name: 'alice', password: passwordOf('alice'), phone: '+15550100' }, fe.domain);
  for (const u of ['bob', 'carol', 'dave', 'erin', 'mallory', 'lister', 'owner', 'webby']) await fe.addUser(u);
  for (const m of members) await fe.addUser(m);
});
after(async () => {
  await fe.close();
});

const contacts = () => contactServiceOf(fe.fe);
const uri = (u: string) => `sip:${u}@${fe.domain}`;

test('privacy matrix: one presence, five watchers at five levels; a level change re-sends filtered state', async () => {
  const levels: [string, AccessLevel][] = [['carol', 'public'], ['dave', 'workgroup'], ['erin', 'personal'], ['mallory', 'blocked']];
  for (const [w, level] of levels) await contacts().apply('alice', { op: 'setAccessLevel', uri: uri(w), level });
  const alice = await fe.registered('TCP', 'alice');
  await publish(alice, { availability: A.busy, activity: 'in-a-meeting', note: 'Planning', device: 'computer', userSet: false, phones: { mobile: '+15550101', home: '+15550102' } });
  const watchers = new Map<string, { ep: Awaited<ReturnType<TestFrontEnd['registered']>>; callId: string }>();
  for (const w of ['bob', 'carol', 'dave', 'erin', 'mallory']) {
    const ep = await fe.registered('TCP', w);
    const s = await subscribe(ep, uri('alice'));
    assert.equal(s.res.status, 200, `${w} may always subscribe (blocking is not revealed)`);
    watchers.set(w, { ep, callId: s.callId });
  }
  const seen = async (w: string) => {
    const { ep, callId } = watchers.get(w)!;
    return viewWhere(ep, callId, (v) => v.entity === uri('alice'), `${w} view`);
  };
  const e = uri('alice');
  assert.deepEqual(await seen('mallory'), { entity: e, availability: A.offline, class: 'offline' });
  assert.deepEqual(await seen('carol'), { entity: e, availability: A.busy, class: 'busy' });
  assert.deepEqual(await seen('bob'), { entity: e, availability: A.busy, class: 'busy', activity: 'in-a-meeting', note: 'Planning', device: 'computer', userSet: false });
  assert.deepEqual(await seen('dave'), { entity: e, availability: A.busy, class: 'busy', activity: 'in-a-meeting', note: 'Planning', device: 'computer', userSet: false, breakThrough: true, phones: { work: '+15550100' } });
  assert.deepEqual(await seen('erin'), {
    entity: e, availability: A.busy, class: 'busy', activity: 'in-a-meeting', note: 'Planning', device: 'computer', userSet: false, breakThrough: true,
    phones: { work: '+15550100', mobile: '+15550101', home: '+15550102' },
  });

  // Alice blocks bob: his dialog at once shows her Offline; then back to the domain default.
  await contacts().apply('alice', { op: 'setAccessLevel', uri: uri('bob'), level: 'blocked' });
  const { ep: bob, callId } = watchers.get('bob')!;
  await viewWhere(bob, callId, (v) => v.class === 'offline', 'blocked');
  await contacts().apply('alice', { op: 'setAccessLevel', uri: uri('bob'), level: null });
  const back = await viewWhere(bob, callId, (v) => v.class === 'busy', 'colleague again');
  assert.equal(back.note, 'Planning');
});

test(`a contact list of ${LIST_SIZE} in one batched subscription (RFC 4662): full state, then partial changes`, async () => {
  const lister = await fe.registered('TCP', 'lister');
  const entries = [...members.map(uri), 'sip:someone@elsewhere.example'].map((u) => `<entry uri="${u}"/>`).join('');
  const body = `<?xml version="1.0"?><resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists"><list>${entries}</list></resource-lists>`;
  const s = await subscribe(lister, uri('lister'), {
    headers: [['Supported', 'eventlist'], ['Accept', 'application/pidf+xml, application/rlmi+xml, multipart/related']],
    body,
    contentType: 'application/resource-lists+xml',
  });
  assert.equal(s.res.status, 200);
  assert.equal(s.res.header('require'), 'eventlist');
  const first = await lister.waitForRequest((m) => m.method === 'NOTIFY' && m.header('call-id') === s.callId);
  assert.match(first.header('content-type')!, /^multipart\/related;.*type="application\/rlmi\+xml"/);
  const full = readListNotify(first);
  assert.equal(full.fullState, true);
  assert.equal(full.version, 0);
  assert.equal(full.views.size, LIST_SIZE + 1);
  assert.ok([...full.views.values()].slice(0, LIST_SIZE).every((v) => v?.class === 'offline'));
  assert.deepEqual(full.instances.get('sip:someone@elsewhere.example'), { state: 'terminated', reason: 'noresource' });

  // Three members sign in and publish: partial NOTIFYs name only them.
  const changed = [members[0]!, members[77]!, members[199]!];
  for (const m of changed) await publish(await fe.registered('TCP', m), { availability: A.away, userSet: true });
  await waitFor(() => changed.every((m) => listState(lister, s.callId).views.get(uri(m))?.class === 'away'), 5_000, 'list updates');
  const partials = notifiesOf(lister, s.callId).slice(1).map(readListNotify);
  assert.ok(partials.length >= 1 && partials.every((p) => !p.fullState && p.views.size <= changed.length));
  const { views, versions } = listState(lister, s.callId);
  assert.deepEqual(versions, versions.map((_, i) => i), 'RLMI versions count up from 0 without gaps');
  assert.equal(views.get(uri(members[1]!))?.class, 'offline');
  assert.ok(presenceServiceOf(fe.fe.db)!.watchers.size >= LIST_SIZE);
});

test('a batched subscription without a body follows the contact list, the owner included', async () => {
  await contacts().apply('owner', { op: 'add', uri: uri('bob') });
  await contacts().apply('owner', { op: 'add', uri: uri('carol') });
  const owner = await fe.registered('TCP', 'owner');
  await publish(owner, { availability: A.brb, userSet: true });
  const s = await subscribe(owner, uri('owner'), { headers: [['Supported', 'eventlist']] });
  assert.equal(s.res.status, 200);
  await waitFor(() => listState(owner, s.callId).views.size === 3, 5_000, 'self + 2 contacts');
  assert.equal(listState(owner, s.callId).views.get(uri('owner'))?.class, 'brb', 'own endpoints see their aggregate');
  await contacts().apply('owner', { op: 'add', uri: uri('dave') });
  await waitFor(() => listState(owner, s.callId).views.has(uri('dave')), 5_000, 'new contact in the list');
  await contacts().apply('owner', { op: 'remove', uri: uri('bob') });
  await waitFor(() => !listState(owner, s.callId).views.has(uri('bob')), 5_000, 'removed contact gone');
});

test('sip.js over WebSocket watches a person and unsubscribes; a raw WS watcher whose connection drops is ended', async () => {
  const svc = presenceServiceOf(fe.fe.db)!;
  const web = await connectSipJs(fe, 'webby', { auth: 'digest', password: passwordOf('webby') });
  try {
    const bodies: string[] = [];
    const subscriber = new Subscriber(web.ua, UserAgent.makeURI(uri('carol'))!, 'presence', { expires: 600 });
    subscriber.delegate = {
      onNotify: (n) => {
        bodies.push(n.request.body);
        void n.accept();
      },
    };
    const before = svc.subscriptions.size;
    await subscriber.subscribe();
    const carol = await fe.registered('TCP', 'carol');
    await publish(carol, { availability: A.dnd, userSet: true, note: 'Focus' });
    await waitFor(() => bodies.length > 0 && parsePresenceView(bodies.at(-1)!).class === 'dnd', 5_000, 'sip.js sees DND');
    assert.equal(parsePresenceView(bodies.at(-1)!).note, 'Focus');
    assert.equal(svc.subscriptions.size, before + 1);
    // Expires: 0 (RFC 6665 §4.1.2.3). sip.js 0.21 never resolves dispose() once the final NOTIFY
    // came (its dialog disposes itself without calling onTerminated), so it is not awaited.
    void subscriber.dispose();
    await waitFor(() => svc.subscriptions.size === before, 5_000, 'unsubscribed');
  } finally {
    await web.stop();
  }

  const ws = await fe.registered('WS', 'webby');
  const before = svc.subscriptions.size;
  const s = await subscribe(ws, uri('carol'));
  assert.equal(s.res.status, 200);
  assert.equal(svc.subscriptions.size, before + 1);
  ws.connection.close();
  await waitFor(() => svc.subscriptions.size === before, 5_000, 'subscription ended with its flow');
});
