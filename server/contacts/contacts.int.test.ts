/**
 * The roaming contact list against a whole Front End: sip.js endpoints over WebSocket (token and
 * Digest) and raw TCP endpoints subscribe to their own list (Event: vnd-ocs-contacts) and change it
 * with MESSAGE commands; every change reaches every endpoint of the user live.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  applyContactsDocument,
  CONTACTS_COMMAND_TYPE,
  CONTACTS_DOCUMENT_TYPE,
  CONTACTS_EVENT,
  type ContactsDocument,
  type ContactsReplica,
  EMPTY_REPLICA,
} from '../../shared/contacts';
import { passwordOf, TestFrontEnd, waitFor } from '../testing/frontend';
import { connectSipJs, type SipJsClient } from '../testing/sipjs';
import type { SipEndpoint } from '../testing/endpoint';
import type { WireMessage } from '../testing/sip-wire';
import { contactServiceOf } from './registry';
import type { ContactService } from './service';
import { SipJsContacts } from './testing';

describe('contacts over SIP', () => {
  let t: TestFrontEnd;
  let svc: ContactService;
  const clients: SipJsClient[] = [];
  const online = async (user: string, auth: 'digest' | 'token'): Promise<SipJsContacts> => {
    const c = await connectSipJs(t, user, { auth, password: passwordOf(user), instanceId: randomUUID() });
    clients.push(c);
    return new SipJsContacts(c);
  };

  before(async () => {
    t = await TestFrontEnd.start({ users: ['alice', 'bob', 'carol', 'dave', 'erin'].map((name) => ({ name, password: passwordOf(name) })) });
    svc = contactServiceOf({ db: t.fe.db, config: t.fe.config, log: t.fe.log });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    await t?.close();
  });

  test('the list roams: every operation reaches both endpoints of the user live', async () => {
    const a1 = await online('alice', 'token');
    const a2 = await online('alice', 'digest');
    await a1.subscribe();
    await a2.subscribe();
    const first = a1.replica.list; // (a local: deepEqual would narrow the replica's type)
    assert.deepEqual(first, { version: 0, groups: [{ id: 1, name: 'Other Contacts' }], contacts: [], accessLevels: [] });

    const ops = [
      { op: 'addGroup', name: 'Team' },
      { op: 'add', uri: `sip:bob@${t.domain}`, groupId: 2 },
      { op: 'add', uri: 'sip:zed@partner.example', displayName: 'Zed' },
      { op: 'move', uri: 'sip:zed@partner.example', groupId: 2 },
      { op: 'rename', uri: `sip:bob@${t.domain}`, displayName: 'Bobby' },
      { op: 'renameGroup', groupId: 2, name: 'Dream Team' },
      { op: 'setAccessLevel', uri: `sip:bob@${t.domain}`, level: 'personal' },
      { op: 'setAccessLevel', uri: 'sip:spammer@elsewhere.example', level: 'blocked' },
      { op: 'add', uri: `sip:carol@${t.domain}` },
      { op: 'remove', uri: `sip:carol@${t.domain}` },
      { op: 'removeGroup', groupId: 2 },
    ] as const;
    let version = 0;
    for (const [i, op] of ops.entries()) {
      // Alternate the endpoint that makes the change: both see every change.
      const answer = await (i % 2 ? a2 : a1).command(op);
      assert.equal(answer.status, 200, `${op.op}: ${answer.status} ${answer.reason}`);
      version = (answer.body as { version: number }).version;
      assert.equal(version, i + 1);
      if (op.op === 'addGroup') assert.equal((answer.body as { groupId: number }).groupId, 2);
      await a1.untilVersion(version);
      await a2.untilVersion(version);
      assert.deepEqual(a1.replica.list, await svc.snapshot('alice'), `after ${op.op}`);
      assert.deepEqual(a2.replica.list, a1.replica.list);
    }
    const final = a1.replica.list!;
    assert.deepEqual(final.groups, [{ id: 1, name: 'Other Contacts' }]);
    assert.deepEqual(
      final.contacts.map((c) => [c.uri, c.displayName, c.groupId, c.accessLevel]),
      [
        [`sip:bob@${t.domain}`, 'Bobby', 1, 'personal'],
        ['sip:zed@partner.example', 'Zed', 1, 'public'],
      ],
    );
    assert.deepEqual(final.accessLevels, [
      { uri: `sip:bob@${t.domain}`, level: 'personal' },
      { uri: 'sip:spammer@elsewhere.example', level: 'blocked' },
    ]);
    // After the first full list, changes came as deltas.
    assert.ok(a1.documents.filter((d) => d.type === 'delta').length >= ops.length - 1);
    assert.equal(await svc.accessLevel('alice', 'sip:spammer@elsewhere.example'), 'blocked');
    assert.ok(!a1.replica.stale && !a2.replica.stale);
  });

  test('refusals: 4xx with a reason naming the fault and a JSON error; the list is unchanged', async () => {
    const b = await online('bob', 'token');
    await b.subscribe();
    const cases: [unknown, number, string][] = [
      ['{not json', 400, 'INVALID_COMMAND'],
      [{ op: 'add' }, 400, 'INVALID_COMMAND'],
      [{ op: 'explode', uri: 'sip:x@y.z' }, 400, 'INVALID_COMMAND'],
      [{ op: 'add', uri: 'sip:bob@ocs', extra: true }, 400, 'INVALID_COMMAND'],
      [{ op: 'add', uri: 'tel:+14255550100' }, 400, 'INVALID_URI'],
      [{ op: 'add', uri: `sip:ghost@${t.domain}` }, 404, 'NO_SUCH_USER'],
      [{ op: 'remove', uri: `sip:carol@${t.domain}` }, 404, 'NOT_IN_LIST'],
      [{ op: 'add', uri: `sip:carol@${t.domain}`, groupId: 42 }, 404, 'NO_SUCH_GROUP'],
      [{ op: 'removeGroup', groupId: 1 }, 403, 'DEFAULT_GROUP'],
      [{ op: 'addGroup', name: 'Other contacts' }, 400, 'GROUP_EXISTS'],
    ];
    for (const [cmd, status, code] of cases) {
      const answer = await b.command(cmd as Record<string, unknown>);
      assert.equal(answer.status, status, `${JSON.stringify(cmd)} -> ${answer.status} ${answer.reason}`);
      assert.equal((answer.body as { error: { code: string } }).error.code, code);
      assert.match(answer.reason, /\(.+\)/, 'the reason phrase names the fault');
    }
    assert.equal((await svc.snapshot('bob')).version, 0);
  });

  test("another user's list: 403 for commands and for SUBSCRIBE", async () => {
    const e = await online('erin', 'token');
    const answer = await e.command({ op: 'add', uri: `sip:erin@${t.domain}` }, `sip:alice@${t.domain}`);
    assert.equal(answer.status, 403);
    assert.equal((answer.body as { error: { code: string } }).error.code, 'NOT_OWNER');

    const raw = await t.registered('TCP', 'erin');
    const sub = await raw.request('SUBSCRIBE', `sip:alice@${t.domain}`, { headers: [['Event', CONTACTS_EVENT], ['Expires', '600']] });
    assert.equal(sub.status, 403, sub.startLine);
    const mine = await raw.request('SUBSCRIBE', `sip:erin@${t.domain}`, { headers: [['Event', CONTACTS_EVENT], ['Expires', '10']] });
    assert.equal(mine.status, 423, 'below Min-Expires');
    assert.equal(mine.header('Min-Expires'), '60');
  });

  test('raw TCP endpoint: subscribe, change by command, delta, refresh gives the full list, unsubscribe ends it', async () => {
    const ep = await t.registered('TCP', 'carol');
    const replica = rawReplica(ep);
    const sub = await ep.request('SUBSCRIBE', `sip:carol@${t.domain}`, { headers: [['Event', CONTACTS_EVENT], ['Expires', '600'], ['Accept', CONTACTS_DOCUMENT_TYPE]] });
    assert.equal(sub.status, 200, sub.startLine);
    await waitFor(() => replica.get().list, 5_000, 'first NOTIFY');
    const notify = ep.requests.find((r) => r.method === 'NOTIFY')!;
    assert.equal(notify.header('Event'), CONTACTS_EVENT);
    assert.match(notify.header('Subscription-State') ?? '', /^active;expires=\d+/);
    assert.equal(notify.header('Content-Type'), CONTACTS_DOCUMENT_TYPE);

    const cmd = await ep.request('MESSAGE', `sip:carol@${t.domain}`, { body: JSON.stringify({ op: 'add', uri: `sip:dave@${t.domain}` }), contentType: CONTACTS_COMMAND_TYPE });
    assert.equal(cmd.status, 200, cmd.startLine);
    assert.deepEqual(JSON.parse(cmd.body.toString()), { version: 1 });
    await waitFor(() => replica.get().list?.version === 1, 5_000, 'delta');
    assert.deepEqual(replica.get().list, await svc.snapshot('carol'));

    // Refresh inside the dialog (RFC 6665 §4.2.1.2): a full list again.
    const toTag = sub.header('To')!;
    const fulls = () => ep.requests.filter((r) => r.method === 'NOTIFY' && JSON.parse(r.body.toString()).type === 'full').length;
    const before = fulls();
    const refresh = await ep.request('SUBSCRIBE', `sip:carol@${t.domain}`, { callId: sub.header('Call-ID'), to: toTag, headers: [['Event', CONTACTS_EVENT], ['Expires', '600']] });
    assert.equal(refresh.status, 200, refresh.startLine);
    await waitFor(() => fulls() > before, 5_000, 'full list after refresh');

    const bye = await ep.request('SUBSCRIBE', `sip:carol@${t.domain}`, { callId: sub.header('Call-ID'), to: toTag, headers: [['Event', CONTACTS_EVENT], ['Expires', '0']] });
    assert.equal(bye.status, 200);
    await waitFor(() => ep.requests.find((r) => r.method === 'NOTIFY' && /^terminated/.test(r.header('Subscription-State') ?? '')), 5_000, 'final NOTIFY');
    const stale = await ep.request('SUBSCRIBE', `sip:carol@${t.domain}`, { callId: sub.header('Call-ID'), to: toTag, headers: [['Event', CONTACTS_EVENT], ['Expires', '600']] });
    assert.equal(stale.status, 481);
  });

  test('a fetch (Expires: 0) gets the whole list in one final NOTIFY', async () => {
    const ep = await t.registered('TCP', 'alice');
    const res = await ep.request('SUBSCRIBE', `sip:alice@${t.domain}`, { headers: [['Event', CONTACTS_EVENT], ['Expires', '0']] });
    assert.equal(res.status, 200, res.startLine);
    const notify = await ep.waitForRequest((r) => r.method === 'NOTIFY');
    assert.match(notify.header('Subscription-State') ?? '', /^terminated/);
    const doc = JSON.parse(notify.body.toString()) as ContactsDocument;
    assert.equal(doc.type === 'full' && doc.parts, 1);
    assert.deepEqual(applyContactsDocument(EMPTY_REPLICA, doc).list, await svc.snapshot('alice'));
  });

  test('limits: 1,000 contacts and 64 groups; a full list that big arrives in several NOTIFYs', async () => {
    const long = 'x'.repeat(200);
    await Promise.all(Array.from({ length: 1000 }, (_, i) => svc.apply('dave', { op: 'add', uri: `sip:user${i}@partner.example`, displayName: `${long} ${i}` })));
    for (let g = 2; g <= 64; g++) await svc.apply('dave', { op: 'addGroup', name: `Group ${g}` });
    const d = await online('dave', 'token');
    const over = await d.command({ op: 'add', uri: 'sip:one-more@partner.example' });
    assert.equal(over.status, 403, over.reason);
    assert.equal((over.body as { error: { code: string } }).error.code, 'LIMIT');
    const tooMany = await d.command({ op: 'addGroup', name: 'Group 65' });
    assert.equal(tooMany.status, 403);
    assert.match(tooMany.reason, /64 groups/);

    // Over raw TCP, whose parser has the server's own limits: the list comes in parts.
    const ep = await t.registered('TCP', 'dave');
    const replica = rawReplica(ep);
    const sub = await ep.request('SUBSCRIBE', `sip:dave@${t.domain}`, { headers: [['Event', CONTACTS_EVENT], ['Expires', '600']] });
    assert.equal(sub.status, 200);
    const list = await waitFor(() => replica.get().list, 10_000, 'the whole list');
    assert.equal(list.contacts.length, 1000);
    assert.equal(list.groups.length, 64);
    assert.ok(ep.requests.filter((r) => r.method === 'NOTIFY').length > 1, 'split into several NOTIFYs');
    assert.ok(ep.requests.every((r) => r.body.length <= 48 * 1024));
    assert.deepEqual(list, await svc.snapshot('dave'));
  });
});

/** A replica fed by the NOTIFYs a raw endpoint receives (it answers them 200 by default). */
function rawReplica(ep: SipEndpoint): { get(): ContactsReplica } {
  let replica = EMPTY_REPLICA;
  let seen = 0;
  return {
    get() {
      const notifies = ep.requests.filter((r: WireMessage) => r.method === 'NOTIFY' && r.body.length > 0);
      for (const n of notifies.slice(seen)) replica = applyContactsDocument(replica, JSON.parse(n.body.toString()) as ContactsDocument);
      seen = notifies.length;
      return replica;
    },
  };
}
