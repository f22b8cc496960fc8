/**
 * Call signaling with sip.js through the proxy: INVITE/180/200/ACK/BYE with Record-Route
 * (RFC 3261 §16.6 step 4, §12.1.2 route set), and a callee on two endpoints: both ring, one answers,
 * the proxy CANCELs the other (§16.7 step 10). Media is out of scope (fixed SDP).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Invitation, Inviter } from 'sip.js';
import { passwordOf, TestFrontEnd } from '../testing/frontend';
import { connectSipJs, FIXED_SDP, remoteDescriptions, waitForSessionState, type SipJsClient } from '../testing/sipjs';

/** The route set a dialog learnt (sip.js keeps it on its internal dialog). */
function routeSetOf(session: Inviter | Invitation): string[] {
  return (session.dialog as unknown as { routeSet?: string[] } | undefined)?.routeSet ?? [];
}

describe('sip.js calls through the proxy', () => {
  let t: TestFrontEnd;
  const clients: SipJsClient[] = [];
  const online = async (user: string, instanceId?: string): Promise<SipJsClient> => {
    const c = await connectSipJs(t, user, { auth: clients.length % 2 === 0 ? 'digest' : 'token', password: passwordOf(user), instanceId });
    clients.push(c);
    return c;
  };

  before(async () => {
    t = await TestFrontEnd.start({ users: ['alice', 'bob', 'carol', 'dan'].map((name) => ({ name, password: passwordOf(name) })) });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    await t?.close();
  });

  test('INVITE, 180, 200, ACK and BYE cross the proxy, which stays on the path with Record-Route', async () => {
    const alice = await online('alice');
    const bob = await online('bob');

    const inviter = alice.inviter(bob.aor);
    const progress: number[] = [];
    await inviter.invite({ requestDelegate: { onProgress: (r) => void progress.push(r.message.statusCode ?? 0) } });

    const invitation = await bob.waitForInvitation();
    const recordRoutes = invitation.request.getHeaders('record-route');
    assert.ok(recordRoutes.length >= 1, 'the INVITE reaching the callee carries the proxy\'s Record-Route');
    assert.match(recordRoutes.join(','), /;lr/, 'a loose-routing Record-Route (RFC 3261 §16.6 step 4)');
    assert.match(invitation.request.body, /m=audio/, 'the offer crosses the proxy untouched');

    let acked = false;
    let byeVias = 0;
    invitation.delegate = {
      onAck: () => void (acked = true),
      onBye: (bye) => void (byeVias = bye.request.getHeaders('via').length),
    };
    await invitation.progress();
    await bob.until(() => (progress.includes(180) ? true : undefined), 5_000, '180 at the caller');
    await invitation.accept();

    await waitForSessionState(inviter, 'Established');
    assert.ok(routeSetOf(inviter).length >= 1, 'the caller\'s route set holds the proxy');
    assert.equal(routeSetOf(inviter).length, recordRoutes.length);
    await bob.until(() => (acked ? true : undefined), 5_000, 'ACK at the callee');

    await inviter.bye();
    await waitForSessionState(invitation, 'Terminated');
    await waitForSessionState(inviter, 'Terminated');
    assert.ok(byeVias >= 2, `the BYE crossed the proxy (Via count ${byeVias})`);
  });

  test('a callee on two endpoints: both ring, one answers, the other gets CANCEL', async () => {
    const carol1 = await online('carol', randomUUID());
    const carol2 = await online('carol', randomUUID());
    const dan = await online('dan');

    const inviter = dan.inviter(carol1.aor);
    await inviter.invite();
    const ring1 = await carol1.waitForInvitation();
    const ring2 = await carol2.waitForInvitation();
    let cancelled1 = false;
    let cancelled2 = false;
    ring1.delegate = { onCancel: () => void (cancelled1 = true) };
    ring2.delegate = { onCancel: () => void (cancelled2 = true) };
    await Promise.all([ring1.progress(), ring2.progress()]);

    await ring1.accept();
    await waitForSessionState(inviter, 'Established');
    await waitForSessionState(ring2, 'Terminated');
    assert.equal(cancelled2, true, 'the endpoint that did not answer got CANCEL');
    assert.equal(cancelled1, false);
    assert.equal(ring1.state, 'Established');
    assert.equal(remoteDescriptions(inviter)[0], FIXED_SDP, 'the callee\'s answer reached the caller intact');
    assert.equal(remoteDescriptions(ring1)[0], FIXED_SDP, 'the caller\'s offer reached the callee intact');

    await inviter.bye();
    await waitForSessionState(ring1, 'Terminated');
  });
});
