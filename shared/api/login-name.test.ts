import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLoginName } from './login-name';

test('parseLoginName accepts a user name, user@domain and a SIP URI, case-insensitively', () => {
  assert.deepEqual(parseLoginName('alice'), { name: 'alice' });
  assert.deepEqual(parseLoginName(' Alice@Example.Test '), { name: 'alice', domain: 'example.test' });
  assert.deepEqual(parseLoginName('sip:alice@example.test'), { name: 'alice', domain: 'example.test' });
  assert.deepEqual(parseLoginName('SIP:bob.smith@x.y'), { name: 'bob.smith', domain: 'x.y' });
});

test('parseLoginName refuses what cannot be a user', () => {
  for (const bad of ['', '@example.test', 'a b', 'sip:', 'alice@', 'alice@exa mple', '-alice', 'x'.repeat(65), 'alice;transport=ws']) {
    assert.equal(parseLoginName(bad), undefined, bad);
  }
});
