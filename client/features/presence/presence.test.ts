import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPidf } from '../../../shared/presence/pidf';
import { AVAILABILITY } from '../../../shared/presence/availability';
import { IdleDetector } from './idle';
import { readListNotify, splitMultipart } from './list-notify';
import { DEFAULT_STATUS, endpointPresence, localView, toView } from './status';

const BOUNDARY = 'b1x';
function listBody(resources: { uri: string; pidf?: string }[], fullState = true): { body: string; contentType: string } {
  let rlmi = `<?xml version="1.0"?><list xmlns="urn:ietf:params:xml:ns:rlmi" uri="sip:alice@x.test" version="3" fullState="${fullState}">`;
  const parts: string[] = [];
  resources.forEach((r, i) => {
    rlmi += `<resource uri="${r.uri}">${r.pidf ? `<instance id="i${i}" state="active" cid="c${i}@x.test"/>` : `<instance id="i${i}" state="terminated" reason="noresource"/>`}</resource>`;
    if (r.pidf) parts.push(`--${BOUNDARY}\r\nContent-Type: application/pidf+xml\r\nContent-ID: <c${i}@x.test>\r\n\r\n${r.pidf}\r\n`);
  });
  rlmi += '</list>';
  const body = `--${BOUNDARY}\r\nContent-Type: application/rlmi+xml\r\nContent-ID: <root@x.test>\r\n\r\n${rlmi}\r\n${parts.join('')}--${BOUNDARY}--\r\n`;
  return { body, contentType: `multipart/related;type="application/rlmi+xml";start="<root@x.test>";boundary=${BOUNDARY}` };
}

describe('batched presence NOTIFY (RFC 4662)', () => {
  test('reads every resource of a multipart/related RLMI body', () => {
    const bob = buildPidf('sip:bob@x.test', { availability: AVAILABILITY.busy, activity: 'in-a-call', note: 'on a call <3' });
    const { body, contentType } = listBody([{ uri: 'sip:bob@x.test', pidf: bob }, { uri: 'sip:ext@other.test' }]);
    const doc = readListNotify(body, contentType);
    assert.equal(doc?.fullState, true);
    assert.equal(doc?.version, 3);
    assert.equal(doc?.resources.length, 2);
    assert.equal(doc?.resources[0]?.view?.class, 'busy');
    assert.equal(doc?.resources[0]?.view?.note, 'on a call <3');
    assert.deepEqual(doc?.resources[1], { uri: 'sip:ext@other.test' });
    assert.deepEqual(toView(doc!.resources[0]!.view!), { class: 'busy', label: 'In a call', activity: 'in-a-call', note: 'on a call <3' });
  });

  test('a single PIDF body, and bodies that are neither', () => {
    const doc = readListNotify(buildPidf('sip:bob@x.test', { availability: AVAILABILITY.away }), 'application/pidf+xml');
    assert.equal(doc?.resources[0]?.uri, 'sip:bob@x.test');
    assert.equal(doc?.resources[0]?.view?.class, 'away');
    assert.equal(readListNotify('<nope/>', 'application/pidf+xml'), undefined);
    assert.equal(readListNotify('hello', 'text/plain'), undefined);
    assert.deepEqual(splitMultipart('x', 'multipart/related'), []);
  });
});

describe('my status', () => {
  test('what this endpoint publishes (OCS numbers, user-set, in a call, note)', () => {
    assert.deepEqual(endpointPresence(DEFAULT_STATUS, { idle: false, inCall: false }), { availability: AVAILABILITY.available, userSet: false });
    assert.deepEqual(endpointPresence(DEFAULT_STATUS, { idle: true, inCall: false }), { availability: AVAILABILITY.away, userSet: false });
    assert.deepEqual(endpointPresence({ ...DEFAULT_STATUS, choice: 'brb', note: ' back soon ' }, { idle: true, inCall: true }),
      { availability: AVAILABILITY.brb, userSet: true, activity: 'in-a-call', note: 'back soon' });
  });

  test('how it shows before the aggregate arrives', () => {
    assert.equal(localView(DEFAULT_STATUS, { idle: false, inCall: true }).label, 'In a call');
    assert.equal(localView({ ...DEFAULT_STATUS, choice: 'dnd' }, { idle: false, inCall: true }).label, 'Do not disturb');
    assert.equal(localView({ ...DEFAULT_STATUS, choice: 'offline', note: 'x' }, { idle: false, inCall: true }).label, 'Offline');
    assert.equal(localView(DEFAULT_STATUS, { idle: true, inCall: false }).class, 'away');
  });

  test('idle after the configured minutes, active again on input, off at 0', () => {
    let now = 0;
    const changes: boolean[] = [];
    const listeners = new Map<string, () => void>();
    const target = { addEventListener: (e: string, fn: () => void) => listeners.set(e, fn), removeEventListener: (e: string) => listeners.delete(e) };
    const detector = new IdleDetector((idle) => changes.push(idle), 5, () => now);
    const stop = detector.start(target as never);
    now = 4 * 60_000; detector.check();
    now = 5 * 60_000; detector.check();
    listeners.get('keydown')?.();
    now = 20 * 60_000; detector.setMinutes(0);
    stop();
    assert.deepEqual(changes, [true, false]);
    assert.equal(listeners.size, 0);
  });
});
