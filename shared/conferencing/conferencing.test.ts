import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseXml, XmlError } from './xml';
import { buildC3pRequest, buildC3pResponse, parseC3pRequest, parseC3pResponse, peekC3pRequest, C3pParseError, type C3pCommand } from './c3p';
import { applyConferenceInfo, buildConferenceInfo, parseConferenceInfo } from './conferenceInfo';
import { conferenceIdOf, conferenceUri, conferencingTarget, focusFactoryUri } from './uri';
import { DEFAULT_ROLE_PRIVILEGES, type Meeting, type Participant } from './types';

test('xml: elements, attributes, entities, namespaces reduced to local names', () => {
  const el = parseXml('<?xml version="1.0"?><!-- c --><a:r xmlns:a="urn:x" k="1 &amp; 2"><b>t &lt;x&gt;</b><c/><![CDATA[<raw>]]></a:r>');
  assert.equal(el.name, 'r');
  assert.equal(el.attrs.k, '1 & 2');
  assert.equal(el.children[0]!.text, 't <x>');
  assert.equal(el.children[1]!.name, 'c');
  assert.equal(el.text, '<raw>');
});

test('xml: malformed and hostile documents are refused', () => {
  for (const bad of ['<a><b></a>', '<a>', 'text', '<a/><b/>', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', '<a>&bogus;</a>', `${'<a>'.repeat(20)}${'</a>'.repeat(20)}`]) {
    assert.throws(() => parseXml(bad), XmlError, bad);
  }
});

test('uri: focus factory and conference URIs round-trip', () => {
  assert.equal(focusFactoryUri('alice', 'example.com'), 'sip:alice@example.com;gruu;opaque=app:conf:focusfactory');
  const uri = conferenceUri('alice', 'example.com', 'abc123def');
  assert.equal(conferenceIdOf(uri), 'abc123def');
  assert.deepEqual(conferencingTarget('app:conf:focusfactory'), { kind: 'factory' });
  assert.equal(conferencingTarget('app:conf:focus:id:../x'), undefined);
  assert.equal(conferencingTarget('app:voicemail'), undefined);
});

test('c3p: every command survives a round trip', () => {
  const commands: C3pCommand[] = [
    { name: 'addConference', meeting: { subject: 'Plan <Q3>', access: 'anonymous', pin: '123456', mediaTypes: ['audio', 'video'], expiresAt: 1_800_000_000_000, invitees: [{ user: 'bob', role: 'presenter' }], privileges: DEFAULT_ROLE_PRIVILEGES } },
    { name: 'modifyConference', conferenceId: 'abcdef12', changes: { access: 'open' } },
    { name: 'getConferences' },
    { name: 'getConference', conferenceId: 'abcdef12' },
    { name: 'getConference' },
    { name: 'deleteConference' },
    { name: 'addUserMedia', mediaTypes: ['audio', 'screen'] },
    { name: 'muteUser', user: 'bob', kind: 'audio', muted: true },
    { name: 'muteAll', kind: 'video', muted: false },
    { name: 'deleteUser', user: 'guest-1' },
    { name: 'modifyConferenceLock', locked: true },
    { name: 'setLobbyAccess', user: 'guest-1', admit: false },
    { name: 'modifyUserRole', user: 'bob', role: 'attendee' },
  ];
  for (const command of commands) {
    const xml = buildC3pRequest({ requestId: '7', from: 'sip:alice@x', to: 'sip:alice@x;gruu', command });
    assert.deepEqual(parseC3pRequest(xml).command, command, xml);
  }
});

test('c3p: bad requests are named', () => {
  assert.throws(() => parseC3pRequest('<request><frobnicate/></request>'), /unknown command <frobnicate>/);
  assert.throws(() => parseC3pRequest('<request><muteUser user="b" kind="smell" muted="true"/></request>'), C3pParseError);
  assert.throws(() => parseC3pRequest('<request/>'), /exactly one command/);
  assert.throws(() => parseC3pRequest('<request'), /malformed XML/);
  assert.deepEqual(peekC3pRequest('<request requestId="9"><muteUser kind="x"/></request>'), { requestId: '9', command: 'muteUser' });
});

test('c3p: responses carry meetings, media, the roster and failures', () => {
  const meeting: Meeting = {
    conferenceId: 'abcdef12', uri: conferenceUri('alice', 'x', 'abcdef12'), organizer: 'alice', subject: 's', access: 'closed', pin: '1234',
    mediaTypes: ['audio'], expiresAt: 5, createdAt: 1, privileges: DEFAULT_ROLE_PRIVILEGES, invitees: [{ user: 'bob', role: 'attendee' }],
  };
  const ok = parseC3pResponse(buildC3pResponse({ requestId: '1', command: 'getConference', code: 'success', meeting,
    media: [{ mcuId: 'av-1', mediaTypes: ['audio', 'video'], signalingUrl: 'http://h', signalingPath: '/p', credential: 'c.s', expiresAt: 9, proxyPath: '/mcu-media/av-1/p' }],
    conference: { conferenceId: 'abcdef12', uri: meeting.uri, subject: 's', organizer: 'alice', locked: true, active: true, participants: [
      { user: 'bob', displayName: 'Bob', role: 'presenter', status: 'connected', guest: false, mutedByFocus: ['audio'], media: ['audio'] }] } }));
  assert.deepEqual(ok.meeting, meeting);
  assert.equal(ok.media?.[0]?.credential, 'c.s');
  assert.equal(ok.media?.[0]?.proxyPath, '/mcu-media/av-1/p');
  assert.equal(ok.conference?.participants[0]?.mutedByFocus[0], 'audio');
  const list = parseC3pResponse(buildC3pResponse({ requestId: '2', command: 'getConferences', code: 'success', meetings: [meeting, meeting] }));
  assert.equal(list.meetings?.length, 2);
  const fail = parseC3pResponse(buildC3pResponse({ requestId: '3', command: 'muteUser', code: 'failure', reason: 'forbidden', message: 'An attendee cannot mute others.' }));
  assert.equal(fail.reason, 'forbidden');
  assert.equal(fail.message, 'An attendee cannot mute others.');
});

test('conference-info: full then partial documents fold into the view; a gap asks for full state', () => {
  const bob: Participant = { user: 'bob', displayName: 'Bob & Co', role: 'presenter', status: 'connected', guest: false, mutedByFocus: [], media: ['audio', 'video'] };
  const guest: Participant = { user: 'guest-1', displayName: 'G', role: 'attendee', status: 'pending', guest: true, mutedByFocus: [], media: [] };
  const view = { conferenceId: 'abcdef12', uri: 'sip:alice@x;gruu;opaque=app:conf:focus:id:abcdef12', subject: 'S', organizer: 'alice', locked: false, active: true };
  const full = parseConferenceInfo(buildConferenceInfo({ version: 1, state: 'full', view, users: [bob, guest], deleted: [] }, 'x'));
  let state = applyConferenceInfo(undefined, full);
  assert.equal(state?.participants.length, 2);
  assert.equal(state?.participants[1]?.status, 'pending');
  assert.equal(state?.participants[1]?.guest, true);
  assert.equal(state?.conferenceId, 'abcdef12');
  const partial = parseConferenceInfo(buildConferenceInfo({ version: 2, state: 'partial', view: { ...view, locked: true }, users: [{ ...bob, mutedByFocus: ['audio'] }], deleted: ['guest-1'] }, 'x'));
  state = applyConferenceInfo(state, partial);
  assert.deepEqual(state?.participants.map((p) => [p.user, p.mutedByFocus]), [['bob', ['audio']]]);
  assert.equal(state?.locked, true);
  assert.equal(applyConferenceInfo(state, { ...partial, version: 9 }), undefined);
});
