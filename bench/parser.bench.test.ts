import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INVITE, OK200, REGISTER, benchParser } from './parser.bench';
import { parseMessage } from '../server/sip/message/index';

test('the benchmark messages are valid and the benchmark reports every figure', async () => {
  for (const raw of [REGISTER, INVITE, OK200]) parseMessage(raw);
  const results = await benchParser(20);
  assert.equal(results.length, 6);
  for (const r of results) assert.ok(r.value > 0 && r.unit === 'msg/s' && r.name.length > 0, r.name);
});
