import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyContactsDocument, EMPTY_REPLICA, type ContactList, type ContactsDocument } from '../../shared/contacts';
import { deltaDocument, fullDocuments } from './document';

const list: ContactList = {
  version: 7,
  groups: [{ id: 1, name: 'Other Contacts' }, { id: 2, name: 'Team' }],
  contacts: Array.from({ length: 50 }, (_, i) => ({ uri: `sip:u${i}@x.test`, displayName: `User ${i}`.padEnd(80, '.'), groupId: 1 + (i % 2), accessLevel: 'colleague' as const, accessLevelSet: false })),
  accessLevels: [{ uri: 'sip:spam@y.test', level: 'blocked' }],
};

test('a full list is split under the budget and reassembled in any order', () => {
  const docs = fullDocuments(list, 1_500);
  assert.ok(docs.length > 3);
  for (const d of docs) assert.ok(Buffer.byteLength(JSON.stringify(d)) <= 1_500, `part ${d.type === 'full' && d.part}`);
  let r = EMPTY_REPLICA;
  for (const d of [...docs].reverse()) r = applyContactsDocument(r, d);
  assert.deepEqual(r.list, list);
  assert.deepEqual(fullDocuments(list).length, 1);
});

test('deltas apply on their base version only; a gap marks the replica stale', () => {
  let r = applyContactsDocument(EMPTY_REPLICA, fullDocuments(list)[0]!);
  const delta = (from: number, version: number): ContactsDocument =>
    JSON.parse(deltaDocument(from, version, [{ kind: 'contactRemoved', version, uri: 'sip:u0@x.test' }])!) as ContactsDocument;
  r = applyContactsDocument(r, delta(7, 8));
  assert.equal(r.list?.version, 8);
  assert.equal(r.list?.contacts.length, 49);
  assert.equal(applyContactsDocument(r, delta(7, 8)), r, 'an old delta is ignored');
  assert.equal(applyContactsDocument(r, delta(9, 10)).stale, true);
  assert.equal(deltaDocument(1, 2, [{ kind: 'contactRemoved', version: 2, uri: 'sip:u0@x.test' }], 10), undefined, 'over budget');
});
