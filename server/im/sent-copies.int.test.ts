/**
 * Sent copies against a whole Front End: what alice sends from one endpoint reaches her other
 * endpoints as a MESSAGE from herself marked X-OCS-Sent-To; not the endpoint that sent it, not
 * typing indications, not messages that were refused; and nobody else can forge the mark.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Messager, UserAgent } from 'sip.js';
import { passwordOf, TestFrontEnd } from '../testing/frontend';
import { SipJsPeople } from '../testing/sipjs';
import { IS_COMPOSING_TYPE } from './policy';
import { TYPING_ACTIVE as TYPING } from './testkit';
import { SENT_TO_HEADER } from './sent-copies';


let t: TestFrontEnd;
const people = new SipJsPeople();
const online = (user: string) => people.online(t, user);
const aor = (user: string): string => `sip:${user}@${t.domain}`;

before(async () => {
  t = await TestFrontEnd.start({ users: ['alice', 'bob', 'carol'].map((name) => ({ name, password: passwordOf(name) })) });
});
after(async () => {
  await people.stopAll();
  await t?.close();
});

test("a delivered text reaches the sender's other endpoints as a marked copy from the sender, once", async () => {
  const alice1 = await online('alice');
  const alice2 = await online('alice');
  const alice3 = await online('alice');
  const bob = await online('bob');
  assert.equal(await alice1.sendMessage(bob.aor, 'copy me'), 200);
  await bob.waitForMessage('copy me');
  for (const other of [alice2, alice3]) {
    const copy = await other.waitForMessage('copy me');
    assert.equal(copy.request.getHeader(SENT_TO_HEADER), `<${aor('bob')}>`);
    assert.equal(copy.request.from.uri.toString(), aor('alice'));
    assert.equal(copy.request.getHeader('Content-Type'), 'text/plain');
    assert.equal(other.messages.filter((m) => m.request.body === 'copy me').length, 1);
  }
  assert.equal(bob.messages.find((m) => m.request.body === 'copy me')?.request.getHeader(SENT_TO_HEADER), undefined, 'the recipient gets no mark');

  // Typing indications and refused messages are not copied: later texts' copies arrive, theirs never.
  assert.equal(await alice1.sendMessage(aor('carol'), 'carol is offline'), 480);
  await new Promise<void>((resolve, reject) => {
    new Messager(alice1.ua, UserAgent.makeURI(bob.aor)!, TYPING, IS_COMPOSING_TYPE)
      .message({ requestDelegate: { onAccept: () => resolve(), onReject: (r) => reject(new Error(String(r.message.statusCode))) } })
      .catch(reject);
  });
  await bob.waitForMessage(TYPING);
  assert.equal(await alice1.sendMessage(bob.aor, 'after'), 200);
  await alice2.waitForMessage('after');
  assert.ok(!alice2.messages.some((m) => m.request.body === 'carol is offline'), 'a 480 is not copied');
  assert.ok(!alice2.messages.some((m) => m.request.body === TYPING), 'typing is not copied');
  assert.ok(!alice1.messages.some((m) => m.request.body === 'copy me' || m.request.body === 'after'), 'the sending endpoint gets no copy');
});

test('nobody can forge the mark: a client-sent X-OCS-Sent-To is removed before delivery', async () => {
  const alice = people.of('alice');
  const carol = await t.registered('TCP', 'carol');
  const res = await carol.request('MESSAGE', aor('alice'), { body: 'forged', contentType: 'text/plain', headers: [[SENT_TO_HEADER, `<${aor('bob')}>`]] });
  assert.equal(res.status, 200, res.startLine);
  const got = await alice.waitForMessage('forged');
  assert.equal(got.request.getHeader(SENT_TO_HEADER), undefined);
  assert.equal(got.request.from.uri.toString(), aor('carol'));
});
