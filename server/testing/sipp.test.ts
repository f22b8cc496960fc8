import { test } from 'node:test';
import assert from 'node:assert/strict';
import { receivedStartLines } from './sipp';

// The shape of SIPp 3.6's -trace_msg log.
const LOG = [
  '----------------------------------------------- 2026-11-24 20:38:31.107702',
  'TCP message sent (331 bytes):',
  '',
  'MESSAGE sip:bob@ocs.test SIP/2.0',
  'Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK-1',
  '',
  '----------------------------------------------- 2026-11-24 20:38:31.108359',
  'TCP message received [415] bytes :',
  '',
  'SIP/2.0 407 Proxy Authentication Required',
  'Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK-1',
  '',
  '----------------------------------------------- 2026-11-24 20:38:31.109138',
  'TCP message received [295] bytes :',
  '',
  'SIP/2.0 200 OK',
  '',
].join('\n');

test('receivedStartLines reads what SIPp received, in order, and skips what it sent', () => {
  assert.deepEqual(receivedStartLines(LOG), ['SIP/2.0 407 Proxy Authentication Required', 'SIP/2.0 200 OK']);
  assert.deepEqual(receivedStartLines(''), []);
});
