import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeUserName, validateNewUser, validatePassword, validatePhone, validateUserName } from './users';

test('user names: lower-case SIP-safe user parts of 1-64 characters', () => {
  for (const ok of ['a', '0', 'alice', 'a.b-c_d', 'x'.repeat(64)]) assert.equal(validateUserName(ok), undefined, ok);
  for (const bad of ['', 'Alice', '.a', '-a', 'a b', 'a@b', 'x'.repeat(65), 'ä']) assert.equal(validateUserName(bad)?.field, 'name', bad);
  assert.equal(normalizeUserName('  Alice '), 'alice');
});

test('passwords: 8-128 characters, counted in code points', () => {
  assert.equal(validatePassword('1234567')?.field, 'password');
  assert.equal(validatePassword('12345678'), undefined);
  assert.equal(validatePassword('😀'.repeat(8)), undefined);
  assert.equal(validatePassword('x'.repeat(129))?.field, 'password');
});

test('phones: E.164', () => {
  for (const ok of ['+14255550100', '+44207183875', '+12']) assert.equal(validatePhone(ok), undefined, ok);
  for (const bad of ['14255550100', '+0123', '+1', '+1234567890123456', '+1 425']) assert.equal(validatePhone(bad)?.field, 'phone', bad);
});

test('validateNewUser reports the first bad field and ignores an empty phone', () => {
  assert.equal(validateNewUser({ name: 'bob', password: 'password1', phone: '' }), undefined);
  assert.equal(validateNewUser({ name: 'bob', password: 'short', phone: 'x' })?.field, 'password');
  assert.equal(validateNewUser({ name: 'bob', password: 'password1', displayName: 'tab\there' })?.field, 'displayName');
});
