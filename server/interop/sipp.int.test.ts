/**
 * SIPp, a SIP stack we did not write, against the whole Front End over TCP: REGISTER with Digest,
 * MESSAGE through the proxy to a registered and to an unregistered user, OPTIONS to the server.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { passwordOf, TestFrontEnd } from '../testing/frontend';
import { describeRun, receivedStartLines, runSipp, sippAvailable } from '../testing/sipp';
import { uriOf } from '../testing/sip-wire';

const scenario = (name: string): string => resolve(import.meta.dirname, 'sipp', `${name}.xml`);
const finalStatuses = (messages: string): number[] =>
  receivedStartLines(messages)
    .map((l) => /^SIP\/2\.0 (\d{3})/.exec(l)?.[1])
    .filter((s): s is string => s !== undefined && Number(s) >= 200)
    .map(Number);

describe('SIPp over TCP', { skip: sippAvailable() ? false : 'SIPp is not installed (/usr/bin/sipp, Debian package sip-tester)' }, () => {
  let t: TestFrontEnd;

  before(async () => {
    t = await TestFrontEnd.start({ users: ['alice', 'bob', 'carol', 'dave'].map((name) => ({ name, password: passwordOf(name) })) });
  });
  after(async () => {
    await t?.close();
  });

  const sipp = (name: string, user: string, requestUri: string, keys: Record<string, string> = {}) =>
    runSipp({
      scenario: scenario(name),
      port: t.sipPort,
      keys: { ocs_domain: t.domain, ocs_user: user, ...keys },
      authUser: user,
      authPassword: passwordOf(user),
      authUri: requestUri,
    });

  test('REGISTER: 401 challenge, Digest answer, 200 listing the binding, then unregister', async () => {
    const run = await sipp('register', 'carol', `sip:${t.domain}`);
    assert.equal(run.code, 0, describeRun(run));
    assert.deepEqual(finalStatuses(run.messages)[0], 401, describeRun(run));
    assert.equal(finalStatuses(run.messages)[1], 200, describeRun(run));
    assert.equal(finalStatuses(run.messages).at(-1), 200, describeRun(run));
  });

  test('MESSAGE to a registered user is relayed to their endpoint and its 200 comes back', async () => {
    const bob = await t.registered('TCP', 'bob');
    const run = await sipp('message', 'carol', `sip:bob@${t.domain}`, { ocs_target: 'bob' });
    assert.equal(run.code, 0, describeRun(run));
    assert.deepEqual(finalStatuses(run.messages), [407, 200], describeRun(run));
    const got = await bob.waitForRequest((m) => m.method === 'MESSAGE');
    assert.match(got.body.toString('utf8'), /^hello from sipp /);
    assert.equal(uriOf(got.header('from')!), `sip:carol@${t.domain}`);
    // RFC 3261 §16.6 step 8: the proxy adds its own Via above SIPp's.
    assert.ok(got.headerAll('via').length >= 2, `Via: ${got.headerAll('via').join(' | ')}`);
    bob.connection.close();
  });

  test('MESSAGE to a provisioned user with no registered endpoint gets 480', async () => {
    const run = await sipp('message', 'carol', `sip:dave@${t.domain}`, { ocs_target: 'dave' });
    assert.equal(run.code, 0, describeRun(run));
    assert.deepEqual(finalStatuses(run.messages), [407, 480], describeRun(run));
  });

  test('a call from SIPp: INVITE (407, ACK, INVITE with credentials), 200 with Record-Route, ACK and BYE through the proxy', async () => {
    const bob = await t.registered('TCP', 'bob', {
      answer: (req) => {
        if (req.method !== 'INVITE') return { status: 200, reason: 'OK' };
        // The callee's Contact names its own flow endpoint; the proxy reaches it over the registered flow.
        return { status: 200, reason: 'OK', headers: [['Contact', `<${bob.contactUri}>`], ['Content-Type', 'application/sdp']], body: 'v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\n' };
      },
    });
    const run = await sipp('invite', 'carol', `sip:bob@${t.domain}`, { ocs_target: 'bob' });
    assert.equal(run.code, 0, describeRun(run));
    assert.deepEqual(finalStatuses(run.messages), [407, 200, 200], describeRun(run));
    const invite = await bob.waitForRequest((m) => m.method === 'INVITE');
    assert.ok(invite.headerAll('Record-Route').length >= 1, 'the proxy Record-Routes the INVITE');
    const ack = await bob.waitForRequest((m) => m.method === 'ACK');
    const bye = await bob.waitForRequest((m) => m.method === 'BYE');
    // The proxy consumed its own Route entry (RFC 3261 §16.4) and stayed on the path (its Via is on top).
    for (const m of [ack, bye]) {
      assert.equal(m.headerAll('Route').length, 0, `${m.method} still carries Route: ${m.headerAll('Route').join(' | ')}`);
      assert.ok(m.headerAll('Via').length >= 2, `${m.method} came through the proxy`);
    }
    bob.connection.close();
  });

  test('OPTIONS to the server itself is answered 200 with Allow', async () => {
    const run = await sipp('options', 'alice', `sip:${t.domain}`);
    assert.equal(run.code, 0, describeRun(run));
    assert.equal(finalStatuses(run.messages).at(-1), 200, describeRun(run));
    assert.match(run.messages, /\nAllow:[^\n]*(MESSAGE|INVITE)/i, describeRun(run));
  });
});
