import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestFrontEnd, waitFor } from '../testing/frontend';
import { AVAILABILITY as A } from '../../shared/presence/availability';
import { presenceServiceOf } from './install';
import { lastView, notifiesOf, publish, subscribe, viewWhere } from './testkit';

let fe: TestFrontEnd;
const USERS = ['alice', 'bob', 'carol', 'soft'];

before(async () => {
  fe = await TestFrontEnd.start({ users: USERS.map((name) => ({ name, password: `${name}-secret-1` })) });
});
after(async () => {
  await fe.close();
});

test('a person on three endpoints (TCP, WS, TCP): aggregation end to end, seen by a colleague', async () => {
  const bob = await fe.registered('TCP', 'bob');
  const w = await subscribe(bob, `sip:alice@${fe.domain}`);
  assert.equal(w.res.status, 200);
  // Nobody signed in: Offline (R1), and the first NOTIFY came right after the 200.
  let v = await viewWhere(bob, w.callId, (x) => x.class === 'offline', 'offline first');
  assert.equal(v.entity, `sip:alice@${fe.domain}`);
  assert.match(notifiesOf(bob, w.callId)[0]!.header('subscription-state')!, /^active;expires=\d+$/);

  const pc = await fe.registered('TCP', 'alice');
  await viewWhere(bob, w.callId, (x) => x.class === 'available', 'registered: available');
  const p1 = await publish(pc, { availability: A.available, device: 'computer', userSet: false });
  assert.equal(p1.res.status, 200);
  assert.ok(p1.etag);
  const web = await fe.registered('WS', 'alice');
  await publish(web, { availability: A.idle, device: 'web', userSet: false });
  const phone = await fe.registered('TCP', 'alice');
  const call = await publish(phone, { availability: A.busy, activity: 'in-a-call', device: 'phone', userSet: false });
  v = await viewWhere(bob, w.callId, (x) => x.activity === 'in-a-call', 'in a call');
  assert.equal(v.class, 'busy');
  // The call ends: the phone withdraws its publication (RFC 3903 §4.5).
  assert.equal((await publish(phone, '', { etag: call.etag, expires: 0 })).res.status, 200);
  v = await viewWhere(bob, w.callId, (x) => x.class === 'available' && !x.activity, 'call over');
  assert.equal(v.device, 'computer', 'the most available active endpoint wins');

  await publish(web, { availability: A.away, userSet: true, note: 'Lunch' });
  v = await viewWhere(bob, w.callId, (x) => x.class === 'away', 'own Away wins');
  assert.equal(v.note, 'Lunch');
  assert.equal(v.userSet, true);
  await publish(pc, { availability: A.dnd, activity: 'presenting', userSet: false }, { etag: p1.etag });
  await viewWhere(bob, w.callId, (x) => x.class === 'dnd' && x.activity === 'presenting', 'presenting');
  await publish(web, { availability: A.offline, userSet: true });
  v = await viewWhere(bob, w.callId, (x) => x.class === 'offline', 'appear offline');
  assert.equal(v.note, undefined);

  // Her own endpoints see her aggregate too.
  const self = await subscribe(phone, `sip:alice@${fe.domain}`);
  assert.equal(self.res.status, 200);
  await viewWhere(phone, self.callId, (x) => x.class === 'offline' && x.userSet === true, 'self view');

  // Registration drives presence: the web endpoint's connection drops, its publication goes with it.
  web.connection.close();
  await viewWhere(bob, w.callId, (x) => x.class === 'dnd', 'appear-offline gone with its endpoint');
  // TCP endpoints with a listening Contact survive their connection (docs/sip.md): they unregister.
  assert.equal((await pc.register({ expires: 0 })).status, 200);
  assert.equal((await phone.register({ expires: 0 })).status, 200);
  await viewWhere(bob, w.callId, (x) => x.class === 'offline' && x.userSet === false, 'all gone');
  await waitFor(() => presenceServiceOf(fe.fe.db)!.publications.forOwner('alice').length === 0, 5_000, 'publications removed');
});

test('PUBLISH rules (RFC 3903): someone else 403, bad event 489, unknown etag 412, refresh rotates the etag, 415, 423', async () => {
  const carol = await fe.registered('TCP', 'carol');
  const other = await carol.request('PUBLISH', `sip:bob@${fe.domain}`, { headers: [['Event', 'presence']], body: '<x/>', contentType: 'application/pidf+xml' });
  assert.equal(other.status, 403);
  const bad = await carol.request('PUBLISH', carol.aor, { headers: [['Event', 'dialog']], body: '<x/>', contentType: 'application/pidf+xml' });
  assert.equal(bad.status, 489);
  assert.equal(bad.header('allow-events'), 'presence');
  assert.equal((await publish(carol, '', { etag: 'nope' })).res.status, 412);
  assert.equal((await carol.request('PUBLISH', carol.aor, { headers: [['Event', 'presence']], body: 'hi', contentType: 'text/plain' })).status, 415);
  assert.equal((await publish(carol, { availability: A.busy }, { expires: 5 })).res.status, 423);
  const first = await publish(carol, { availability: A.busy });
  const refreshed = await publish(carol, '', { etag: first.etag });
  assert.equal(refreshed.res.status, 200);
  assert.ok(refreshed.etag && refreshed.etag !== first.etag);
  assert.equal((await publish(carol, '', { etag: first.etag })).res.status, 412, 'the old entity-tag is gone');
  assert.equal((await carol.request('PUBLISH', carol.aor, { headers: [['Event', 'presence']], body: '<presence', contentType: 'application/pidf+xml' })).status, 400);
});

test('interop: a plain softphone PIDF in, a plain RFC 3856 watcher out', async () => {
  const soft = await fe.registered('TCP', 'soft');
  const plain = `<?xml version="1.0" encoding="UTF-8"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="sip:soft@${fe.domain}">
<tuple id="t1"><status><basic>open</basic></status></tuple>
<dm:person id="p1"><rpid:activities><rpid:away/></rpid:activities><dm:note>Gone fishing</dm:note></dm:person></presence>`;
  assert.equal((await publish(soft, plain)).res.status, 200);
  const carol = await fe.registered('TCP', 'carol');
  const w = await subscribe(carol, `sip:soft@${fe.domain}`, { headers: [['Accept', 'application/pidf+xml']] });
  assert.equal(w.res.status, 200);
  await viewWhere(carol, w.callId, (x) => x.class === 'away', 'away');
  const body = notifiesOf(carol, w.callId).at(-1)!.body.toString();
  assert.match(body, /<basic>open<\/basic>/);
  assert.match(body, /<rpid:activities><rpid:away\/><\/rpid:activities>/);
  assert.match(body, /Gone fishing/);
  const refused = await subscribe(carol, `sip:soft@${fe.domain}`, { headers: [['Accept', 'application/xpidf+xml']] });
  assert.equal(refused.res.status, 406);
  const nobody = await subscribe(carol, `sip:nobody@${fe.domain}`);
  assert.equal(nobody.res.status, 404);
  assert.ok(lastView(carol, w.callId));
});
