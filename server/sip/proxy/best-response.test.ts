import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseBest } from './best-response';
import { SipHeaders } from '../message/index';
import type { SipResponse } from '../message/types';

const res = (status: number): SipResponse => ({ kind: 'response', version: 'SIP/2.0', status, reason: String(status), headers: new SipHeaders(), body: Buffer.alloc(0) });

test('6xx wins over lower classes', () => {
  assert.equal(chooseBest([res(486), res(603), res(302)])?.status, 603);
});

test('lowest class wins otherwise, first in its class', () => {
  const a = res(480);
  assert.equal(chooseBest([a, res(302), res(404)])?.status, 302);
  assert.equal(chooseBest([a, res(486)]), a);
});

test('503 is turned into 500 upstream', () => {
  assert.equal(chooseBest([res(503)])?.status, 500);
});

test('challenges of all branches are gathered', () => {
  const a = res(407);
  a.headers.append('Proxy-Authenticate', 'Digest realm="a"');
  const b = res(401);
  b.headers.append('WWW-Authenticate', 'Digest realm="b"');
  const best = chooseBest([a, b]);
  assert.deepEqual(best?.headers.getAll('Proxy-Authenticate'), ['Digest realm="a"']);
  assert.deepEqual(best?.headers.getAll('WWW-Authenticate'), ['Digest realm="b"']);
});

test('no finals, no answer', () => {
  assert.equal(chooseBest([]), undefined);
});
