import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PARSER_LIMITS, type SipMessage } from './types';
import { SipParseError } from './errors';
import { StreamFramer, type PartialInfo } from './framer';
import { SDP, request, standard, wire } from './corpus/wire';
import { callIdOf } from './accessors';
import { errorResponseFor } from './response';

function collect(limits = DEFAULT_PARSER_LIMITS) {
  const messages: SipMessage[] = [];
  const raws: Buffer[] = [];
  const errors: [SipParseError, PartialInfo | undefined][] = [];
  let pings = 0;
  const framer = new StreamFramer(limits, (m, raw) => { messages.push(m); raws.push(raw); }, (e, p) => errors.push([e, p]), () => pings++);
  return { framer, messages, raws, errors, pings: () => pings };
}

const invite = request('INVITE', 'sip:bob@example.com', ['Content-Type: application/sdp'], SDP);
const options = request('OPTIONS', 'sip:bob@example.com');

test('a message split at every byte boundary', () => {
  for (let cut = 1; cut < invite.length; cut++) {
    const c = collect();
    c.framer.push(invite.subarray(0, cut));
    assert.equal(c.messages.length, 0);
    c.framer.push(invite.subarray(cut));
    assert.equal(c.messages.length, 1, `cut at ${cut}`);
    assert.equal(c.messages[0]!.body.toString(), SDP);
    assert.deepEqual(c.raws[0], invite);
  }
});

test('one byte at a time, several messages with CRLFs between them', () => {
  const stream = Buffer.concat([invite, Buffer.from('\r\n'), options, invite]);
  const c = collect();
  for (const b of stream) c.framer.push(Buffer.from([b]));
  assert.deepEqual(c.messages.map((m) => m.kind === 'request' && m.method), ['INVITE', 'OPTIONS', 'INVITE']);
  assert.equal(c.framer.buffered, 0);
  assert.equal(c.pings(), 0);
});

test('many messages in one chunk', () => {
  const c = collect();
  c.framer.push(Buffer.concat(Array.from({ length: 50 }, () => options)));
  assert.equal(c.messages.length, 50);
  assert.ok(!c.framer.inMessage);
});

test('RFC 5626 keep-alive: CRLFCRLF is a ping, a lone CRLF is not', () => {
  const c = collect();
  c.framer.push(Buffer.from('\r\n\r\n'));
  assert.equal(c.pings(), 1);
  c.framer.push(Buffer.from('\r\n'));
  assert.equal(c.pings(), 1);
  c.framer.push(options);
  c.framer.push(Buffer.from('\r'));
  c.framer.push(Buffer.from('\n\r'));
  c.framer.push(Buffer.from('\n'));
  assert.equal(c.pings(), 2);
  assert.equal(c.messages.length, 1);
  c.framer.push(Buffer.from('\r\n\r\n\r\n\r\n'));
  assert.equal(c.pings(), 4);
});

test('missing Content-Length on a stream is fatal; the framer stops', () => {
  const c = collect();
  c.framer.push(wire(['OPTIONS sip:bob@example.com SIP/2.0', ...standard('OPTIONS')]));
  c.framer.push(options);
  assert.equal(c.messages.length, 0);
  assert.equal(c.errors.length, 1);
  const [err, partial] = c.errors[0]!;
  assert.equal(err.status, 400);
  assert.ok(err.options.fatal && c.framer.dead);
  assert.match(err.reason, /missing Content-Length/);
  // The head was complete: the transport can still answer before closing.
  assert.ok(errorResponseFor(partial!.raw, err)!.toString().startsWith('SIP/2.0 400 Bad Request (missing Content-Length'));
});

test('wrong Content-Length: too short desynchronises (fatal), too long waits', () => {
  const body = 'hello world';
  const short = wire(['MESSAGE sip:bob@example.com SIP/2.0', ...standard('MESSAGE'), 'Content-Length: 5'], body);
  const c = collect();
  c.framer.push(short);
  assert.equal(c.messages[0]!.body.toString(), 'hello');
  assert.equal(c.errors.length, 1, 'the rest " world" is not a message');
  assert.ok(c.errors[0]![0].options.fatal);

  const long = wire(['MESSAGE sip:bob@example.com SIP/2.0', ...standard('MESSAGE'), 'Content-Length: 50'], body);
  const d = collect();
  d.framer.push(long);
  assert.deepEqual([d.messages.length, d.errors.length], [0, 0]);
  assert.ok(d.framer.inMessage && d.framer.buffered === long.length);
});

test('negative, malformed or repeated Content-Length are fatal', () => {
  for (const cl of [['Content-Length: -1'], ['Content-Length: 1x'], ['Content-Length: 0', 'l: 0']]) {
    const c = collect();
    c.framer.push(wire(['OPTIONS sip:bob@example.com SIP/2.0', ...standard('OPTIONS'), ...cl]));
    assert.equal(c.errors.length, 1, cl.join());
    assert.ok(c.errors[0]![0].options.fatal);
  }
});

test('oversize header block and body are fatal without buffering beyond the limits', () => {
  const limits = { ...DEFAULT_PARSER_LIMITS, maxHeaderBytes: 1024, maxBodyBytes: 2048 };
  const c = collect(limits);
  const endless = Buffer.from('OPTIONS sip:bob@example.com SIP/2.0\r\nX-Filler: ' + 'x'.repeat(100));
  c.framer.push(endless);
  for (let i = 0; i < 20 && !c.framer.dead; i++) c.framer.push(Buffer.from('y'.repeat(100)));
  assert.ok(c.framer.dead);
  assert.equal(c.errors[0]![0].status, 513);
  assert.ok(c.errors[0]![1]!.raw.length <= 1024);

  const d = collect(limits);
  d.framer.push(wire(['MESSAGE sip:bob@example.com SIP/2.0', ...standard('MESSAGE'), 'Content-Length: 100000']));
  assert.equal(d.errors[0]![0].status, 413);
  assert.ok(d.errors[0]![0].options.fatal && d.framer.dead);
});

test('a framed but invalid message is reported non-fatally and the stream goes on', () => {
  const bad = wire(['OPTIONS sip:bob@example.com SIP/2.0', ...standard('OPTIONS').filter((l) => !l.startsWith('Call-ID')), 'Content-Length: 0']);
  const c = collect();
  c.framer.push(Buffer.concat([bad, options]));
  assert.equal(c.errors.length, 1);
  assert.ok(!c.errors[0]![0].options.fatal);
  assert.match(c.errors[0]![0].reason, /missing Call-ID/);
  assert.deepEqual(c.errors[0]![1]!.raw, bad);
  assert.equal(c.messages.length, 1);
  assert.equal(callIdOf(c.messages[0]!), '3848276298220188511@client.example.com');
});

test('garbage between messages is fatal', () => {
  const c = collect();
  c.framer.push(Buffer.from('\r\x00'));
  assert.ok(c.framer.dead);
  const d = collect();
  d.framer.push(Buffer.from('\n'));
  assert.ok(d.framer.dead);
});

test('messages parsed from a reused internal buffer do not change later', () => {
  const c = collect();
  const msg = request('MESSAGE', 'sip:bob@example.com', ['Content-Type: text/plain'], 'first body');
  c.framer.push(msg);
  c.framer.push(request('MESSAGE', 'sip:bob@example.com', ['Content-Type: text/plain'], 'other body'));
  assert.equal(c.messages[0]!.body.toString(), 'first body');
});

test('a throwing onMessage does not strand the messages after it', () => {
  const seen: string[] = [];
  const framer = new StreamFramer(undefined, (m) => {
    seen.push(callIdOf(m));
    if (seen.length === 1) throw new Error('handler bug');
  }, () => assert.fail('no parse error expected'));
  const second = Buffer.from(options.toString().replace('Call-ID: 3848276298220188511', 'Call-ID: second'));
  assert.throws(() => framer.push(Buffer.concat([options, second])), /handler bug/);
  assert.equal(seen.length, 2);
  assert.equal(framer.buffered, 0);
});

test("the caller's chunk is not retained: a partial message is copied", () => {
  const c = collect();
  const chunk = Buffer.from(invite);
  c.framer.push(chunk.subarray(0, 100));
  chunk.fill(0, 0, 100); // the transport may reuse its chunk
  c.framer.push(chunk.subarray(100));
  assert.equal(c.messages.length, 1);
  assert.deepEqual(c.raws[0], invite);
});

test('pause holds the rest of a chunk back; resume delivers it in order, then later chunks', () => {
  const messages: SipMessage[] = [];
  const framer: StreamFramer = new StreamFramer(
    DEFAULT_PARSER_LIMITS,
    (m) => {
      messages.push(m);
      if (messages.length === 1) framer.pause(); // the transport throttles after the first
    },
    () => assert.fail('no error expected'),
  );
  framer.push(Buffer.concat([options, invite, options]));
  assert.equal(messages.length, 1, 'the rest waits');
  framer.push(options); // read before the pause took effect on the socket: kept too
  assert.equal(messages.length, 1);
  framer.resume();
  assert.deepEqual(messages.map((m) => (m.kind === 'request' ? m.method : '')), ['OPTIONS', 'INVITE', 'OPTIONS', 'OPTIONS']);
  assert.equal(framer.buffered, 0);
  framer.push(options);
  assert.equal(messages.length, 5);
});
