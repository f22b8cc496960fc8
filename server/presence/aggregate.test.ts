import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregate, type EndpointPublication } from './aggregate';
import { AVAILABILITY as A } from '../../shared/presence/availability';
import type { EndpointState } from '../../shared/presence/types';

const pub = (endpoint: string, at: number, state: Partial<EndpointState>): EndpointPublication => ({
  endpoint,
  at,
  state: { userSet: false, ...state },
});

interface Case {
  name: string;
  registered: number;
  pubs: EndpointPublication[];
  expect: { availability: number; activity?: string; userSet?: boolean; note?: string; device?: string };
}

// The rules of aggregate.ts / docs/presence.md, one row per case.
const CASES: Case[] = [
  { name: 'R1 no registered endpoint: offline, whatever was published', registered: 0, pubs: [pub('a', 1, { availability: A.available, userSet: true })], expect: { availability: A.offline } },
  { name: 'R7 registered, nothing published: available', registered: 1, pubs: [], expect: { availability: A.available, userSet: false } },
  { name: 'R7 most available active endpoint wins', registered: 2, pubs: [pub('a', 1, { availability: A.away }), pub('b', 2, { availability: A.available, device: 'web' })], expect: { availability: A.available, device: 'web' } },
  { name: 'R7 active busy beats idle available', registered: 2, pubs: [pub('a', 1, { availability: A.idle }), pub('b', 2, { availability: A.busy })], expect: { availability: A.busy } },
  { name: 'R7 all idle: most available idle one', registered: 2, pubs: [pub('a', 1, { availability: A.idle }), pub('b', 2, { availability: A['busy-idle'] })], expect: { availability: A.idle } },
  { name: 'R7 a plain client closed loses to any other', registered: 2, pubs: [pub('a', 1, { availability: A.offline }), pub('b', 2, { availability: A.away })], expect: { availability: A.away } },
  { name: 'R7 only a closed plain client: offline', registered: 1, pubs: [pub('a', 1, { availability: A.offline })], expect: { availability: A.offline } },
  { name: 'R6 own state wins over a more available machine state', registered: 2, pubs: [pub('a', 1, { availability: A.brb, userSet: true }), pub('b', 2, { availability: A.available })], expect: { availability: A.brb, userSet: true } },
  { name: 'R6 the latest own state wins', registered: 2, pubs: [pub('a', 1, { availability: A.away, userSet: true }), pub('b', 5, { availability: A.busy, userSet: true })], expect: { availability: A.busy, userSet: true } },
  { name: 'R6 out of office own state keeps its activity', registered: 1, pubs: [pub('a', 1, { availability: A.away, activity: 'out-of-office', userSet: true, note: 'Back Monday' })], expect: { availability: A.away, activity: 'out-of-office', note: 'Back Monday' } },
  { name: 'R5 in a call on one endpoint: busy in a call', registered: 2, pubs: [pub('a', 1, { availability: A.available }), pub('b', 2, { availability: A.busy, activity: 'in-a-call' })], expect: { availability: A.busy, activity: 'in-a-call', userSet: false } },
  { name: 'R5 a call beats an own Away', registered: 2, pubs: [pub('a', 3, { availability: A.away, userSet: true }), pub('b', 2, { availability: A.busy, activity: 'in-a-call' })], expect: { availability: A.busy, activity: 'in-a-call' } },
  { name: 'R5 a meeting beats a call', registered: 2, pubs: [pub('a', 1, { activity: 'in-a-call', availability: A.busy }), pub('b', 2, { availability: A.busy, activity: 'in-a-meeting' })], expect: { availability: A.busy, activity: 'in-a-meeting' } },
  { name: 'R4 own Do not disturb beats a call', registered: 2, pubs: [pub('a', 1, { availability: A.dnd, userSet: true }), pub('b', 2, { availability: A.busy, activity: 'in-a-call' })], expect: { availability: A.dnd, userSet: true } },
  { name: 'R3 presenting: do not disturb, beats own Available', registered: 2, pubs: [pub('a', 5, { availability: A.available, userSet: true }), pub('b', 2, { availability: A.dnd, activity: 'presenting' })], expect: { availability: A.dnd, activity: 'presenting' } },
  { name: 'R2 appear offline hides everything, calls too', registered: 2, pubs: [pub('a', 5, { availability: A.offline, userSet: true, note: 'secret' }), pub('b', 2, { availability: A.busy, activity: 'presenting' })], expect: { availability: A.offline, userSet: true } },
  { name: 'R2 only the latest own state counts: appear offline then Available', registered: 1, pubs: [pub('a', 1, { availability: A.offline, userSet: true }), pub('b', 9, { availability: A.available, userSet: true })], expect: { availability: A.available, userSet: true } },
  { name: 'note: the latest published note', registered: 2, pubs: [pub('a', 1, { availability: A.available, note: 'old' }), pub('b', 2, { availability: A.away, note: 'new' })], expect: { availability: A.available, note: 'new' } },
];

for (const c of CASES) {
  test(`aggregate: ${c.name}`, () => {
    const p = aggregate({ registered: c.registered, publications: c.pubs });
    assert.equal(p.availability, c.expect.availability);
    if ('activity' in c.expect) assert.equal(p.activity, c.expect.activity);
    if ('userSet' in c.expect) assert.equal(p.userSet, c.expect.userSet);
    if ('note' in c.expect) assert.equal(p.note, c.expect.note);
    if ('device' in c.expect) assert.equal(p.device, c.expect.device);
    if (c.expect.availability === A.offline) assert.equal(p.note, undefined, 'offline shows no note');
  });
}

test('aggregate: phone numbers merge over the directory, latest wins', () => {
  const p = aggregate({
    registered: 1,
    phones: { work: '+15550001' },
    publications: [pub('a', 1, { availability: A.available, phones: { mobile: '+15550002' } }), pub('b', 2, { availability: A.available, phones: { mobile: '+15550003' } })],
  });
  assert.deepEqual(p.phones, { work: '+15550001', mobile: '+15550003' });
});
