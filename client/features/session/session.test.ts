import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, ServerUnreachableError } from './api';
import { backoffDelay } from './backoff';
import { MESSAGES, signInErrorMessage } from './messages';
import { sipWebSocketUrl } from './sip';
import { describeConnection } from './status';

describe('reconnect backoff', () => {
  test('doubles from the initial delay up to the cap', () => {
    const opts = { initialMs: 500, maxMs: 4_000, jitter: 0 };
    assert.deepEqual([1, 2, 3, 4, 5, 9].map((n) => backoffDelay(n, opts)), [500, 1000, 2000, 4000, 4000, 4000]);
  });

  test('jitter stays within its fraction', () => {
    const opts = { initialMs: 1000, maxMs: 10_000, jitter: 0.2 };
    assert.equal(backoffDelay(1, opts, () => 0), 800);
    assert.equal(backoffDelay(1, opts, () => 1), 1200);
    assert.equal(backoffDelay(1, opts, () => 0.5), 1000);
  });
});

describe('sign-in error messages', () => {
  test('wrong credentials, unreachable server, lock-out, bad input', () => {
    assert.equal(signInErrorMessage(new ApiError(401, 'INVALID_CREDENTIALS', 'x')), 'The user name or password is incorrect.');
    assert.equal(signInErrorMessage(new ServerUnreachableError()), MESSAGES.unreachable);
    assert.match(MESSAGES.unreachable, /^Can't reach the server/);
    assert.equal(signInErrorMessage(new ApiError(429, 'LOCKED_OUT', 'x', 290)), 'Too many failed sign-in attempts. Try again in 5 minutes.');
    assert.equal(signInErrorMessage(new ApiError(429, 'LOCKED_OUT', 'x', 30)), 'Too many failed sign-in attempts. Try again in 1 minute.');
    assert.equal(signInErrorMessage(new ApiError(400, 'BAD_REQUEST', 'x')), MESSAGES.missingFields);
    assert.equal(signInErrorMessage(new Error('boom')), MESSAGES.unexpected);
  });
});

describe('SIP WebSocket URL', () => {
  test('follows the page scheme and host and carries the encoded token', () => {
    assert.equal(sipWebSocketUrl({ protocol: 'http:', host: '127.0.0.1:8080' }, 'a.b'), 'ws://127.0.0.1:8080/sip?access_token=a.b');
    assert.equal(sipWebSocketUrl({ protocol: 'https:', host: 'ocs.example.com' }, 'a+b/c='), 'wss://ocs.example.com/sip?access_token=a%2Bb%2Fc%3D');
  });
});

describe('connection state wording', () => {
  test('registered reads "Signed in"; reconnecting is not available', () => {
    assert.equal(describeConnection('registered').label, 'Signed in');
    assert.equal(describeConnection('registered').badge, 'available');
    assert.notEqual(describeConnection('reconnecting').badge, 'available');
  });
});
