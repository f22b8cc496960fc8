import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AVAILABILITY as A, availabilityClass } from './availability';
import { buildPidf, endpointStateFrom, parsePresenceView, PidfError, readPidf } from './pidf';
import { viewFor } from './privacy';
import { parseXml, XmlError } from './xml';
import type { Presence } from './types';

test('availability classes follow the OCS ranges', () => {
  const rows: [number, string | undefined][] = [
    [2999, undefined], [3000, 'available'], [4499, 'available'], [4500, 'idle'], [5999, 'idle'], [6000, 'busy'], [7499, 'busy'],
    [7500, 'busy-idle'], [8999, 'busy-idle'], [9000, 'dnd'], [11999, 'dnd'], [12000, 'brb'], [14999, 'brb'], [15000, 'away'],
    [17999, 'away'], [18000, 'offline'], [99999, 'offline'],
  ];
  for (const [n, c] of rows) assert.equal(availabilityClass(n), c, String(n));
});

test('a plain linphone-style PIDF: basic, RPID activity and note are translated', () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
  xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="sip:bob@ocs.test">
  <tuple id="ymb"><status><basic>open</basic></status><contact>sip:bob@10.0.0.2</contact></tuple>
  <dm:person id="p"><rpid:activities><rpid:on-the-phone/></rpid:activities><dm:note>Call &amp; me later</dm:note></dm:person>
</presence>`;
  const s = endpointStateFrom(readPidf(xml));
  assert.deepEqual(s, { availability: A.busy, activity: 'in-a-call', userSet: false, note: 'Call & me later' });
});

test('plain PIDF: basic only (JsSIP / baresip), closed, idle, away with other prefixes', () => {
  const basic = (b: string) => `<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@x"><tuple id="t"><status><basic>${b}</basic></status><note>hi</note></tuple></presence>`;
  assert.deepEqual(endpointStateFrom(readPidf(basic('open'))), { availability: A.available, userSet: false, note: 'hi' });
  assert.equal(endpointStateFrom(readPidf(basic('closed'))).availability, A.offline);
  const away = `<p:presence xmlns:p="urn:ietf:params:xml:ns:pidf" xmlns:r="urn:ietf:params:xml:ns:pidf:rpid" xmlns:d="urn:ietf:params:xml:ns:pidf:data-model" entity="sip:a@x">
    <p:tuple id="t"><p:status><p:basic>open</p:basic></p:status></p:tuple>
    <d:person id="x"><r:activities><r:away/></r:activities><r:user-input>idle</r:user-input></d:person></p:presence>`;
  const s = endpointStateFrom(readPidf(away));
  assert.equal(s.availability, A.away);
  assert.equal(s.userSet, true, 'a chosen RPID activity counts as set by the person');
  const idle = `<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:r="urn:ietf:params:xml:ns:pidf:rpid"><tuple id="t"><status><basic>open</basic></status></tuple><r:user-input>idle</r:user-input></presence>`;
  assert.equal(endpointStateFrom(readPidf(idle)).availability, A.idle);
});

test('our rich document round-trips and stays a PIDF that plain readers understand', () => {
  const xml = buildPidf('sip:alice@ocs.test', { availability: A.busy, activity: 'in-a-meeting', note: '<standup>', device: 'web', userSet: false, phones: { work: '+15551234' }, breakThrough: true });
  const r = readPidf(xml);
  assert.equal(r.basic, 'open');
  assert.deepEqual(r.rpidActivities, ['meeting']);
  const v = parsePresenceView(xml);
  assert.deepEqual(v, { entity: 'sip:alice@ocs.test', availability: A.busy, class: 'busy', activity: 'in-a-meeting', note: '<standup>', device: 'web', userSet: false, phones: { work: '+15551234' }, breakThrough: true });
  // A plain reader that only knows basic + RPID still gets "busy, in a meeting".
  const plain = endpointStateFrom({ ...r, ocs: undefined });
  assert.equal(plain.availability, A.busy);
  assert.equal(plain.activity, 'in-a-meeting');
  assert.equal(readPidf(buildPidf('sip:a@x', { availability: A.offline })).basic, 'closed');
});

test('the XML reader refuses what it should', () => {
  assert.throws(() => parseXml('<a><b></a>'), XmlError);
  assert.throws(() => parseXml('<!DOCTYPE x [<!ENTITY e "boom">]><a>&e;</a>'), XmlError);
  assert.throws(() => parseXml('<p:a/>'), XmlError, 'undeclared prefix');
  assert.throws(() => parseXml('<a>'.repeat(40) + '</a>'.repeat(40)), XmlError, 'too deep');
  assert.throws(() => readPidf('<presence/>'), PidfError, 'not in the PIDF namespace');
  assert.equal(parseXml('<a x="1&lt;2"><![CDATA[<raw>]]>&#x41;</a>').text, '<raw>A');
});

test('privacy matrix: what each access level sees', () => {
  const p: Presence = { availability: A.busy, class: 'busy', activity: 'in-a-call', note: 'n', device: 'computer', userSet: false, phones: { work: 'w', mobile: 'm', home: 'h' } };
  const e = 'sip:alice@ocs.test';
  assert.deepEqual(viewFor(e, p, 'blocked'), { entity: e, availability: A.offline, class: 'offline' });
  assert.deepEqual(viewFor(e, p, 'public'), { entity: e, availability: A.busy, class: 'busy' });
  assert.deepEqual(viewFor(e, p, 'colleague'), { entity: e, availability: A.busy, class: 'busy', activity: 'in-a-call', note: 'n', device: 'computer', userSet: false });
  assert.deepEqual(viewFor(e, p, 'workgroup'), { entity: e, availability: A.busy, class: 'busy', activity: 'in-a-call', note: 'n', device: 'computer', userSet: false, breakThrough: true, phones: { work: 'w' } });
  assert.deepEqual(viewFor(e, p, 'personal'), { entity: e, availability: A.busy, class: 'busy', activity: 'in-a-call', note: 'n', device: 'computer', userSet: false, breakThrough: true, phones: { work: 'w', mobile: 'm', home: 'h' } });
});
