import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { badgeOf } from './contracts';
import { Emitter } from './emitter';
import { toSipUri, userPartOf } from './people';
import { domainOf, Navigation, ServiceKey, Services } from './runtime';
import { Store } from './store';

describe('feature runtime parts', () => {
  test('Store notifies on change only', () => {
    const store = new Store({ n: 1 });
    let calls = 0;
    const off = store.subscribe(() => calls++);
    const same = store.get();
    store.set(same);
    store.set((s) => ({ n: s.n + 1 }));
    off();
    store.set({ n: 9 });
    assert.equal(calls, 1);
    assert.equal(store.get().n, 9);
  });

  test('Emitter isolates a failing listener', () => {
    const bus = new Emitter<{ ping: { n: number } }>();
    const seen: number[] = [];
    const original = console.error;
    console.error = () => undefined;
    try {
      bus.on('ping', () => { throw new Error('boom'); });
      const off = bus.on('ping', ({ n }) => seen.push(n));
      bus.emit('ping', { n: 1 });
      off();
      bus.emit('ping', { n: 2 });
    } finally {
      console.error = original;
    }
    assert.deepEqual(seen, [1]);
    assert.equal(bus.listenerCount('ping'), 1);
  });

  test('Services: provide, look up, withdraw only your own value', () => {
    const services = new Services();
    const key = new ServiceKey<{ v: number }>('k');
    const withdrawA = services.provide(key, { v: 1 });
    services.provide(key, { v: 2 });
    withdrawA();
    assert.equal(services.get(key)?.v, 2);
  });

  test('Navigation opens and closes views, keeps the tab', () => {
    const nav = new Navigation('chat');
    nav.open('conversation', 'sip:b@x');
    assert.equal(nav.isOpen('conversation', 'sip:b@x'), true);
    nav.selectTab('contacts');
    nav.close();
    assert.deepEqual(nav.state.get(), { tab: 'contacts' });
  });

  test('addresses', () => {
    assert.equal(domainOf('sip:alice@example.test'), 'example.test');
    assert.equal(toSipUri('Bob', 'example.test'), 'sip:bob@example.test');
    assert.equal(toSipUri('sip:bob@other.test', 'example.test'), 'sip:bob@other.test');
    assert.equal(toSipUri('bob@', 'example.test'), undefined);
    assert.equal(toSipUri('a b', 'example.test'), undefined);
    assert.equal(userPartOf('sip:bob@example.test'), 'bob');
    assert.equal(badgeOf('brb'), 'away');
    assert.equal(badgeOf('dnd'), 'dnd');
  });
});
