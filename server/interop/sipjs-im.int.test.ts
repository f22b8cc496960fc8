/**
 * sip.js 0.21 (the web client's stack, run in Node) over SIP/WebSocket against the whole Front End:
 * registration with Digest and with a bearer token, MESSAGE (RFC 3428) both ways, and delivery to
 * every registered endpoint of a user (forking, RFC 3261 §16.6).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { passwordOf, TestFrontEnd } from '../testing/frontend';
import { connectSipJs, type SipJsClient } from '../testing/sipjs';

describe('sip.js over WebSocket: registration and instant messages', () => {
  let t: TestFrontEnd;
  const clients: SipJsClient[] = [];
  const online = async (user: string, auth: 'digest' | 'token', instanceId?: string): Promise<SipJsClient> => {
    const c = await connectSipJs(t, user, { auth, password: passwordOf(user), instanceId });
    clients.push(c);
    return c;
  };

  before(async () => {
    t = await TestFrontEnd.start({ users: ['alice', 'bob', 'carol', 'erin'].map((name) => ({ name, password: passwordOf(name) })) });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    await t?.close();
  });

  test('a Digest user and a token user register and exchange MESSAGE both ways', async () => {
    const alice = await online('alice', 'digest');
    const bob = await online('bob', 'token');

    assert.equal(await alice.sendMessage(bob.aor, 'hi bob'), 200);
    const atBob = await bob.waitForMessage('hi bob');
    assert.match(atBob.request.from.uri.toString(), /^sip:alice@/);

    assert.equal(await bob.sendMessage(alice.aor, 'hi alice'), 200);
    const atAlice = await alice.waitForMessage('hi alice');
    assert.match(atAlice.request.from.uri.toString(), /^sip:bob@/);
    // The relayed request went through the proxy: its Via sits above the sender's (§16.6 step 8).
    assert.ok(atAlice.request.getHeaders('via').length >= 2, `Via: ${atAlice.request.getHeaders('via').join(' | ')}`);
  });

  test('a user signed in on two endpoints gets the MESSAGE on both', async () => {
    const carol1 = await online('carol', 'token', randomUUID());
    const carol2 = await online('carol', 'digest', randomUUID());
    const erin = await online('erin', 'digest');

    assert.equal(await erin.sendMessage(carol1.aor, 'to every carol'), 200);
    await carol1.waitForMessage('to every carol');
    await carol2.waitForMessage('to every carol');
    assert.equal(carol1.messages.filter((m) => m.request.body === 'to every carol').length, 1);
    assert.equal(carol2.messages.filter((m) => m.request.body === 'to every carol').length, 1);
  });

  test('a MESSAGE to a provisioned user with nobody signed in gets 480, to an unknown user 404', async () => {
    const alice = clients.find((c) => c.options.user === 'alice') ?? (await online('alice', 'digest'));
    await t.addUser('frank');
    assert.equal(await alice.sendMessage(`sip:frank@${t.domain}`, 'anyone?'), 480);
    assert.equal(await alice.sendMessage(`sip:nobody-${randomUUID().slice(0, 8)}@${t.domain}`, 'anyone?'), 404);
  });
});
