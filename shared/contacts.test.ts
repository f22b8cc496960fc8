import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Value } from '@sinclair/typebox/value';
import { ContactCommand, defaultAccessLevel, normalizeContactUri, accessRank } from './contacts';

test('contact URIs normalize to sip:user@host', () => {
  assert.equal(normalizeContactUri('Bob@Example.COM'), 'sip:bob@example.com');
  assert.equal(normalizeContactUri(' <sip:bob@example.com:5061;transport=tls> '), 'sip:bob@example.com');
  assert.equal(normalizeContactUri('sip:bob@[::1]:5060'), 'sip:bob@[::1]');
  for (const bad of ['bob', 'sip:example.com', 'tel:+14255550100', 'sips:bob@example.com', 'sip:bo b@example.com', 'sip:bob@-x.com', `sip:${'a'.repeat(300)}@x.com`, 'http://x@y']) {
    assert.equal(normalizeContactUri(bad), undefined, bad);
  }
});

test('default access levels follow the domain', () => {
  assert.equal(defaultAccessLevel('sip:a@x.test', 'sip:a@x.test'), 'personal');
  assert.equal(defaultAccessLevel('sip:a@x.test', 'sip:b@x.test'), 'colleague');
  assert.equal(defaultAccessLevel('sip:a@x.test', 'sip:b@y.test'), 'public');
  assert.ok(accessRank('blocked') < accessRank('public') && accessRank('workgroup') < accessRank('personal'));
});

test('command schema accepts the documented ops and refuses extras', () => {
  assert.ok(Value.Check(ContactCommand, { op: 'add', uri: 'sip:b@x.test', groupId: 2 }));
  assert.ok(Value.Check(ContactCommand, { op: 'setAccessLevel', uri: 'sip:b@x.test', level: null }));
  assert.ok(!Value.Check(ContactCommand, { op: 'add', uri: 'sip:b@x.test', extra: 1 }));
  assert.ok(!Value.Check(ContactCommand, { op: 'setAccessLevel', uri: 'sip:b@x.test', level: 'friend' }));
  assert.ok(!Value.Check(ContactCommand, { op: 'addGroup', name: 'x'.repeat(65) }));
  assert.ok(!Value.Check(ContactCommand, { op: 'drop' }));
});
