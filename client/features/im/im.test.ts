import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildIsComposing, parseIsComposing } from './iscomposing';
import { addMessage, EMPTY_IM, markRead, MAX_MESSAGES, openConversation, setTyping, totalUnread, updateMessage, type ChatMessage } from './model';
import { TypingSender } from './typing';

const BOB = 'sip:bob@example.test';
const msg = (id: string, direction: 'in' | 'out', at: number): ChatMessage => ({ id, direction, text: id, at });

describe('isComposing documents (RFC 3994)', () => {
  test('round trip of active with refresh, idle without', () => {
    assert.deepEqual(parseIsComposing(buildIsComposing('active', 90)), { state: 'active', refresh: 90 });
    assert.deepEqual(parseIsComposing(buildIsComposing('idle', 90)), { state: 'idle' });
    assert.doesNotMatch(buildIsComposing('idle', 90), /refresh/);
  });

  test('reads the RFC 3994 §7 example and prefixed elements; refuses other XML', () => {
    const rfc = '<?xml version="1.0" encoding="UTF-8"?>\n<isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing"\n'
      + ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n <state>active</state>\n <contenttype>text/plain</contenttype>\n <refresh>90</refresh>\n</isComposing>';
    assert.deepEqual(parseIsComposing(rfc), { state: 'active', refresh: 90 });
    assert.deepEqual(parseIsComposing('<ic:isComposing xmlns:ic="urn:ietf:params:xml:ns:im-iscomposing"><ic:state>idle</ic:state></ic:isComposing>'), { state: 'idle' });
    assert.equal(parseIsComposing('<presence><state>active</state></presence>'), undefined);
    assert.equal(parseIsComposing('<isComposing><state>sleepy</state></isComposing>'), undefined);
  });
});

describe('TypingSender (RFC 3994 §4)', () => {
  function harness() {
    let now = 0;
    const sent: string[] = [];
    const timers: { fn: () => void; at: number }[] = [];
    const sender = new TypingSender({
      send: (state) => sent.push(state),
      now: () => now,
      setTimer: (fn, ms) => { const t = { fn, at: now + ms }; timers.push(t); return t; },
      clearTimer: (t) => { const i = timers.indexOf(t as (typeof timers)[0]); if (i >= 0) timers.splice(i, 1); },
    });
    const advance = (ms: number) => {
      now += ms;
      for (const t of timers.filter((x) => x.at <= now)) { timers.splice(timers.indexOf(t), 1); t.fn(); }
    };
    return { sender, sent, advance };
  }

  test('active once while typing, refreshed after 60 s, idle after 15 s of silence', () => {
    const { sender, sent, advance } = harness();
    sender.input('h');
    advance(1_000); sender.input('he');
    advance(1_000); sender.input('hel');
    assert.deepEqual(sent, ['active']);
    for (let i = 0; i < 60; i++) { advance(1_000); sender.input('hello'.repeat(i + 1)); }
    assert.deepEqual(sent, ['active', 'active'], 'refresh after the refresh interval');
    advance(15_000);
    assert.deepEqual(sent, ['active', 'active', 'idle']);
    assert.equal(sender.current, 'idle');
  });

  test('sending a message goes idle silently; clearing the draft announces idle', () => {
    const { sender, sent, advance } = harness();
    sender.input('hi');
    sender.sent();
    advance(30_000);
    assert.deepEqual(sent, ['active']);
    sender.input('again');
    sender.input('');
    assert.deepEqual(sent, ['active', 'active', 'idle']);
  });
});

describe('conversations model', () => {
  test('messages bump the conversation to the top, count unread, clear typing', () => {
    let s = openConversation(EMPTY_IM, BOB, 'bob', 1);
    s = openConversation(s, 'sip:carol@example.test', 'carol', 2);
    assert.deepEqual(s.conversations.map((c) => c.uri), ['sip:carol@example.test', BOB]);
    s = setTyping(s, BOB, 5_000);
    s = addMessage(s, BOB, 'Bob Builder', msg('a', 'in', 3), true);
    assert.equal(s.conversations[0]?.uri, BOB);
    assert.equal(s.conversations[0]?.displayName, 'Bob Builder');
    assert.equal(s.conversations[0]?.typingUntil, 0);
    s = addMessage(s, BOB, undefined, msg('b', 'in', 4), true);
    assert.equal(totalUnread(s), 2);
    s = markRead(s, BOB);
    assert.equal(totalUnread(s), 0);
    assert.equal(markRead(s, BOB), s, 'no change, same object');
  });

  test('status updates and the per-conversation bound', () => {
    let s = addMessage(EMPTY_IM, BOB, 'Bob', { ...msg('x', 'out', 1), status: 'sending' }, false);
    s = updateMessage(s, BOB, 'x', { status: 'failed', error: 'Not delivered' });
    assert.equal(s.conversations[0]?.messages[0]?.status, 'failed');
    for (let i = 0; i < MAX_MESSAGES + 5; i++) s = addMessage(s, BOB, undefined, msg(`m${i}`, 'in', i), false);
    assert.equal(s.conversations[0]?.messages.length, MAX_MESSAGES);
    assert.equal(s.conversations[0]?.messages.at(-1)?.id, `m${MAX_MESSAGES + 4}`);
  });
});
