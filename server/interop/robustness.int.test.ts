/**
 * Bad input against the whole Front End, with a healthy client on the side that must keep getting
 * answers throughout: truncated and oversized messages, lying Content-Length, missing mandatory
 * headers, invalid Request-URIs, binary junk, a connection that trickles bytes forever.
 * Abusers connect from 127.0.0.4 so the per-IP limits of the healthy client (127.0.0.1) are apart.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { WsSipConnection, type SipConnection, type TestTransport } from '../testing/connection';
import { TestFrontEnd } from '../testing/frontend';
import { anonymousRequest, describeOutcome, HealthyClient, outcomeOf, ping, type Outcome } from '../testing/probes';
import { randomToken } from '../testing/sip-wire';

const ABUSER = '127.0.0.4';
const ASSEMBLY_TIMEOUT_MS = 800;

function assertRejected(outcome: Outcome, statuses: number[], what: string): void {
  if (outcome.kind === 'closed') return;
  assert.equal(outcome.kind, 'response', `${what}: neither answered nor closed`);
  assert.ok(statuses.includes(outcome.message.status ?? 0), `${what}: got ${describeOutcome(outcome)}, acceptable ${statuses.join('/')} or close`);
}

describe('robustness: bad input while a healthy client is served', () => {
  let t: TestFrontEnd;
  let healthy: HealthyClient;

  before(async () => {
    t = await TestFrontEnd.start({ overrides: { limits: { messageAssemblyTimeoutMs: ASSEMBLY_TIMEOUT_MS } } });
    healthy = new HealthyClient(await t.tcp(), t.domain);
    await healthy.answersAfter(1);
  });
  after(async () => {
    await healthy?.stop();
    await t?.close();
  });

  const abuser = (transport: TestTransport = 'TCP'): Promise<SipConnection> => t.connect(transport, { localAddress: ABUSER });

  test('a truncated message followed by the peer hanging up leaves nothing behind', async () => {
    const c = await abuser();
    const full = anonymousRequest(c, t.domain, { method: 'MESSAGE', uri: `sip:bob@${t.domain}`, body: 'hello there' });
    c.send(full.subarray(0, Math.floor(full.length / 2)));
    c.close();
    await healthy.answersAfter(2);
  });

  for (const transport of ['TCP', 'WS'] as const) {
    test(`${transport}: an oversized message gets 513 (or 413) or the connection is closed`, async () => {
      const c = await abuser(transport);
      const callId = `${randomToken(12)}@big`;
      c.send(anonymousRequest(c, t.domain, { method: 'MESSAGE', uri: `sip:bob@${t.domain}`, callId, body: 'x'.repeat(70_000) }));
      assertRejected(await outcomeOf(c, callId, 4_000), [413, 513], 'body of 70 000 octets');
      c.close();
      const d = await abuser(transport);
      const headerCallId = `${randomToken(12)}@bighead`;
      d.send(anonymousRequest(d, t.domain, { callId: headerCallId, extra: [['X-Padding', 'p'.repeat(20_000)]] }));
      assertRejected(await outcomeOf(d, headerCallId, 4_000), [513], 'a 20 000-octet header');
      d.close();
      await healthy.answersAfter(2);
    });
  }

  test('TCP: Content-Length too short: the request is read up to it, the leftover cannot be framed', async () => {
    const c = await abuser();
    const callId = `${randomToken(12)}@short`;
    c.send(anonymousRequest(c, t.domain, { callId, body: 'abcdefghij-leftover-junk-that-is-not-sip\r\n\r\n', contentLength: 10 }));
    // The OPTIONS with its 10-octet body is a whole message: answered, never with a 5xx.
    const first = await outcomeOf(c, callId, 4_000);
    if (first.kind === 'response') assert.ok((first.message.status ?? 0) < 500, describeOutcome(first));
    // The leftover is not a SIP start line: 400 or close, and the connection does not stay half-parsed.
    const rest = await outcomeOf(c, undefined, 4_000);
    assert.ok(rest.kind === 'closed' || (rest.kind === 'response' && rest.message.status === 400) || c.isClosed, `leftover: ${describeOutcome(rest)}`);
    c.close();
    await healthy.answersAfter(2);
  });

  test('TCP: Content-Length too long: the server waits for the body, then closes at the assembly timeout', async () => {
    const c = await abuser();
    const callId = `${randomToken(12)}@long`;
    c.send(anonymousRequest(c, t.domain, { method: 'MESSAGE', uri: `sip:bob@${t.domain}`, callId, body: 'only a few octets', contentLength: 5_000 }));
    const outcome = await outcomeOf(c, callId, ASSEMBLY_TIMEOUT_MS + 4_000);
    assertRejected(outcome, [400, 408], 'Content-Length 5000 with 17 octets sent');
    assert.ok(await c.waitClosed(4_000), 'the connection is closed once assembly times out');
    await healthy.answersAfter(2);
  });

  // RFC 3261 §18.3 for message-oriented transports: octets beyond Content-Length are discarded; a
  // packet that ends before it is an error (400). RFC 7118 §5.2 (one SIP message per frame) is silent
  // on the first case, so a 400 there is tolerated; silence or a crash is not.
  test('WS: Content-Length shorter than the frame: processed or 400; longer than the frame: 400 (or close)', async () => {
    const c = await abuser('WS');
    const okId = `${randomToken(12)}@wsshort`;
    c.send(anonymousRequest(c, t.domain, { method: 'MESSAGE', uri: `sip:bob@${t.domain}`, callId: okId, body: 'seventeen octets!', contentLength: 3 }));
    const processed = await outcomeOf(c, okId, 4_000);
    assert.equal(processed.kind, 'response', `Content-Length 3 on a 17-octet frame body: ${describeOutcome(processed)}`);
    c.close();
    const d = await abuser('WS');
    const badId = `${randomToken(12)}@wslong`;
    d.send(anonymousRequest(d, t.domain, { method: 'MESSAGE', uri: `sip:bob@${t.domain}`, callId: badId, body: 'seventeen octets!', contentLength: 500 }));
    assertRejected(await outcomeOf(d, badId, 4_000), [400], 'Content-Length 500 on a 17-octet frame body');
    d.close();
    await healthy.answersAfter(2);
  });

  // A stream that turns to garbage is closed (RFC 3261 §18.3: it cannot be re-synchronised), but the
  // requests that arrived whole before the garbage are still requests: they deserve their answers.
  for (const method of ['OPTIONS', 'REGISTER', 'MESSAGE']) {
    test(`TCP: a valid ${method} followed by garbage in the same segment is answered before the connection closes`, async () => {
      const c = await abuser();
      const callId = `${randomToken(12)}@thengarbage`;
      const uri = method === 'MESSAGE' ? `sip:bob@${t.domain}` : `sip:${t.domain}`;
      c.send(Buffer.concat([anonymousRequest(c, t.domain, { method, uri, callId }), Buffer.from('GARBAGE NOT SIP\r\n\r\n')]));
      const outcome = await outcomeOf(c, callId, 4_000);
      assert.equal(outcome.kind, 'response', `the ${method} before the garbage got no answer: ${describeOutcome(outcome)} (received: ${c.received.map((m) => m.startLine).join(' | ') || 'nothing'})`);
      assert.ok(await c.waitClosed(4_000) || c.received.some((m) => m.status === 400), 'the garbage is refused');
      c.close();
      await healthy.answersAfter(1);
    });
  }

  for (const missing of ['From', 'To', 'Call-ID', 'CSeq']) {
    test(`a request without ${missing} gets 400 naming the header`, async () => {
      const c = await abuser();
      const callId = `${randomToken(12)}@missing`;
      c.send(anonymousRequest(c, t.domain, { method: 'MESSAGE', uri: `sip:bob@${t.domain}`, callId, omit: [missing.toLowerCase()], body: 'x' }));
      const outcome = await outcomeOf(c, missing === 'Call-ID' ? undefined : callId, 4_000);
      assert.equal(outcome.kind, 'response', `no 400 for a request without ${missing}: ${describeOutcome(outcome)}`);
      if (outcome.kind !== 'response') return;
      assert.equal(outcome.message.status, 400, outcome.message.startLine);
      const said = `${outcome.message.reason ?? ''} ${outcome.message.headerAll('Warning').join(' ')}`;
      assert.match(said, new RegExp(missing.replace('-', '.?'), 'i'), `the 400 should name ${missing}: "${outcome.message.startLine}"`);
      c.close();
      await healthy.answersAfter(1);
    });
  }

  test('a request without Via cannot be answered: dropped or the connection closed', async () => {
    const c = await abuser();
    const callId = `${randomToken(12)}@novia`;
    c.send(anonymousRequest(c, t.domain, { callId, omit: ['via'] }));
    const outcome = await outcomeOf(c, callId, 1_500);
    // RFC 3261 §18.2.2 sends responses by the top Via; with none, a 400 would have nowhere to go
    // except this connection, which some servers do: tolerate it, but never a success.
    assert.ok(outcome.kind !== 'response' || outcome.message.status === 400, describeOutcome(outcome));
    c.close();
    await healthy.answersAfter(1);
  });

  for (const [label, uri] of [
    ['empty host', 'sip:@'],
    ['unterminated IPv6 reference', `sip:bob@[::1`],
    ['bad port', `sip:bob@${'example.com'}:99999999`],
    ['control character', 'sip:bo\x01b@example.com'],
  ] as const) {
    test(`an invalid Request-URI (${label}) gets 400 (or close)`, async () => {
      const c = await abuser();
      const callId = `${randomToken(12)}@baduri`;
      const raw = anonymousRequest(c, t.domain, { callId }).toString('latin1').replace(/^OPTIONS \S+ SIP\/2\.0/, `OPTIONS ${uri} SIP/2.0`);
      c.send(Buffer.from(raw, 'latin1'));
      assertRejected(await outcomeOf(c, callId, 4_000), [400, 416], `Request-URI ${JSON.stringify(uri)}`);
      c.close();
      await healthy.answersAfter(1);
    });
  }

  for (const transport of ['TCP', 'WS'] as const) {
    test(`${transport}: binary junk closes the connection (or gets 400), the server stays up`, async () => {
      const c = await abuser(transport);
      const junk = Buffer.concat([randomBytes(3_000), Buffer.from('\r\n\r\n'), randomBytes(1_000), Buffer.from('\r\n\r\n')]);
      if (c instanceof WsSipConnection) c.sendBinary(junk);
      else c.send(junk);
      const closed = await c.waitClosed(ASSEMBLY_TIMEOUT_MS + 4_000);
      const replies = c.received.filter((m) => m.kind === 'response');
      assert.ok(closed || replies.some((m) => m.status === 400), `junk was neither refused nor closed; replies: ${replies.map((m) => m.startLine).join(' | ') || 'none'}`);
      assert.ok(replies.every((m) => m.status === 400), `junk got ${replies.map((m) => m.startLine).join(' | ')}`);
      c.close();
      await healthy.answersAfter(2);
    });
  }

  test('a connection that trickles one byte at a time forever is closed after the assembly timeout', async () => {
    const c = await abuser();
    const request = anonymousRequest(c, t.domain, { method: 'MESSAGE', uri: `sip:bob@${t.domain}`, body: 'slow'.repeat(500) });
    const answeredBefore = healthy.answered;
    let i = 0;
    const trickle = setInterval(() => c.send(request.subarray(i % request.length, (i++ % request.length) + 1)), 40);
    try {
      assert.ok(await c.waitClosed(ASSEMBLY_TIMEOUT_MS + 5_000), `still open after ${i} trickled bytes`);
    } finally {
      clearInterval(trickle);
    }
    assert.ok(i < request.length, 'the message was closed before it could complete');
    assert.ok(healthy.answered > answeredBefore, 'the healthy client was answered while the trickle went on');
    await healthy.answersAfter(2);
  });

  test('after all of it a fresh client is served', async () => {
    const c = await t.tcp();
    const res = await ping(c, t.domain);
    assert.equal(res.status, 200, res.startLine);
    assert.deepEqual(healthy.failures, []);
    c.close();
  });
});
