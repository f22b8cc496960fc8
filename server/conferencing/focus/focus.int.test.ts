/**
 * The Focus Factory and the Focus end to end: a whole Front End in-process, raw SIP clients over
 * TCP and WebSocket, and a real AV MCU process registered with the Front End's Conferencing Server
 * Factory (skipped, with the reason, when the mediasoup worker is missing).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../e2e/fixtures/ports';
import { TestFrontEnd, waitFor } from '../../testing/frontend';
import { SipEndpoint } from '../../testing/endpoint';
import { spawnMcu, type SpawnedMcu } from '../../../mcu/spawn';
import { workerMissingReason } from '../../../mcu/media/workerBin';
import { MCU_API_PATHS, mcuApiPath, type ConferenceState } from '../../../shared/mcu/http';
import type { GuestJoinReply, Meeting } from '../../../shared/conferencing/types';
import { ConferenceClient } from './testing';

const skip = workerMissingReason();

describe('Focus Factory and Focus with a real MCU', { skip }, () => {
  let fe: TestFrontEnd;
  let mcu: SpawnedMcu;
  let alice: ConferenceClient;
  let bob: ConferenceClient;
  let meeting: Meeting;
  let dataDir: string;
  let httpPort: number;

  const mcuState = async (id: string): Promise<ConferenceState> => {
    const res = await fetch(mcu.ready.apiUrl + mcuApiPath(MCU_API_PATHS.conference, { conferenceId: id }), { headers: { authorization: `Bearer ${fe.fe.mcuSecret}` } });
    return (await res.json()) as ConferenceState;
  };
  const client = async (user: string) => new ConferenceClient(await fe.registered('TCP', user), fe.domain);

  before(async () => {
    // A fixed HTTP port and data dir so a second Front End can take over (the MCU keeps reporting to that URL).
    // People whose connection is gone are dropped after this long unless they rejoin.
    process.env.OCS_CONF_REJOIN_GRACE_MS = '5000';
    dataDir = await mkdtemp(join(tmpdir(), 'ocs-focus-'));
    httpPort = await freePort();
    fe = await TestFrontEnd.start({ overrides: { dataDir, httpPort }, users: ['alice', 'bob', 'carol', 'dave'].map((name) => ({ name, password: `${name}-secret-1` })) });
    mcu = await spawnMcu({ env: { secret: fe.fe.mcuSecret, factoryUrl: fe.fe.mcuFactoryUrl, port: 0, host: '127.0.0.1', workers: 1, logLevel: 'warn', loadIntervalMs: 500 }, stderr: 'ignore' });
    await waitFor(async () => (await fe.fe.mcuFactory.list()).some((m) => m.live), 10_000, 'the MCU to register');
    alice = await client('alice');
    bob = await client('bob');
  });

  after(async () => {
    await mcu?.stop();
    await fe?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    delete process.env.OCS_CONF_REJOIN_GRACE_MS;
  });

  test('Focus Factory: create, read, modify, list; refusals say why', async () => {
    const created = await alice.factory({ name: 'addConference', meeting: { subject: 'Weekly', access: 'anonymous', pin: '4242', invitees: [{ user: 'bob', role: 'attendee' }] } });
    assert.equal(created.code, 'success', created.message);
    meeting = created.meeting!;
    assert.match(meeting.uri, /^sip:alice@.*;gruu;opaque=app:conf:focus:id:[a-z0-9]+$/);
    assert.equal((await alice.factory({ name: 'getConference', conferenceId: meeting.conferenceId })).meeting?.pin, '4242');
    const bad = await alice.factory({ name: 'addConference', meeting: { access: 'anonymous' } });
    assert.deepEqual([bad.code, bad.reason, bad.message], ['failure', 'bad-request', 'A meeting open to guests needs a PIN.']);
    const noUser = await alice.factory({ name: 'addConference', meeting: { invitees: [{ user: 'nobody', role: 'presenter' }] } });
    assert.equal(noUser.message, 'No user named nobody.');
    const notMine = await bob.factory({ name: 'modifyConference', conferenceId: meeting.conferenceId, changes: { subject: 'x' } });
    assert.deepEqual([notMine.reason, notMine.message], ['forbidden', 'Only the organizer can see or change this meeting.']);
    const modified = await alice.factory({ name: 'modifyConference', conferenceId: meeting.conferenceId, changes: { subject: 'Weekly sync' } });
    assert.equal(modified.meeting?.subject, 'Weekly sync');
    assert.equal((await alice.factory({ name: 'getConferences' })).meetings?.length, 1);
    // Someone else's Focus Factory is not yours to use.
    const other = await bob.ep.request('INFO', `sip:alice@${fe.domain};gruu;opaque=app:conf:focusfactory`, { body: '<request/>', contentType: 'application/cccp+xml' });
    assert.equal(other.status, 403);
  });

  test('join: organizer and invitee get media credentials; the roster arrives by RFC 4575 NOTIFYs', async () => {
    const a = await alice.join(meeting.uri);
    assert.equal(a.response.status, 200);
    assert.equal(a.answer?.role, 'organizer');
    assert.equal(a.answer?.status, 'connected');
    assert.ok(a.answer?.media?.[0]?.credential, 'a media credential');
    assert.equal((await alice.subscribe(meeting.uri)).status, 200);
    await alice.waitState((s) => s.participants.some((p) => p.user === 'alice' && p.role === 'organizer'));
    const b = await bob.join(meeting.uri);
    assert.equal(b.answer?.role, 'attendee');
    assert.equal((await bob.subscribe(meeting.uri)).status, 200);
    await alice.waitState((s) => s.participants.some((p) => p.user === 'bob' && p.status === 'connected'));
    await bob.waitState((s) => s.participants.length === 2);
    const state = await mcuState(meeting.conferenceId);
    assert.deepEqual(state.users.map((u) => u.userId).sort(), ['alice', 'bob']);
  });

  test('privileges: an attendee cannot mute others; the organizer mutes on the MCU', async () => {
    const refused = await bob.c3p(meeting.uri, { name: 'muteUser', user: 'alice', kind: 'audio', muted: true });
    assert.deepEqual([refused.code, refused.reason, refused.message], ['failure', 'forbidden', 'An attendee cannot mute others.']);
    const ok = await alice.c3p(meeting.uri, { name: 'muteUser', user: 'bob', kind: 'audio', muted: true });
    assert.equal(ok.code, 'success', ok.message);
    assert.deepEqual((await mcuState(meeting.conferenceId)).users.find((u) => u.userId === 'bob')?.mutedByFocus, ['audio']);
    await bob.waitState((s) => s.participants.find((p) => p.user === 'bob')?.mutedByFocus.includes('audio') ?? false);
    const selfUnmute = await bob.c3p(meeting.uri, { name: 'muteUser', user: 'bob', kind: 'audio', muted: false });
    assert.equal(selfUnmute.reason, 'forbidden');
    const promote = await alice.c3p(meeting.uri, { name: 'modifyUserRole', user: 'bob', role: 'presenter' });
    assert.equal(promote.code, 'success');
    await alice.waitState((s) => s.participants.find((p) => p.user === 'bob')?.role === 'presenter');
  });

  test('guest: PIN over HTTP, WebSocket with the guest token, lobby, admitted by the organizer', async () => {
    const base = `http://127.0.0.1:${fe.httpPort}/api/meetings/${meeting.conferenceId}`;
    const wrong = await fetch(`${base}/guest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ displayName: 'Gail', pin: '0000' }) });
    assert.equal(wrong.status, 403);
    const res = await fetch(`${base}/guest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ displayName: 'Gail', pin: '4242' }) });
    assert.equal(res.status, 201);
    const pass = (await res.json()) as GuestJoinReply;
    const conn = await fe.ws({ token: pass.token });
    const guest = new ConferenceClient(new SipEndpoint(conn, { user: pass.user, domain: fe.domain }), fe.domain);
    const g = await guest.join(meeting.uri);
    assert.equal(g.response.status, 200, g.response.startLine);
    assert.equal(g.answer?.status, 'pending');
    assert.equal(g.answer?.media, undefined, 'no media in the lobby');
    assert.equal((await guest.subscribe(meeting.uri)).status, 200);
    await alice.waitState((s) => s.participants.some((p) => p.user === pass.user && p.status === 'pending' && p.guest && p.displayName === 'Gail'));
    const early = await guest.c3p(meeting.uri, { name: 'addUserMedia', mediaTypes: ['audio'] });
    assert.equal(early.message, 'You are waiting in the lobby.');
    assert.equal((await alice.c3p(meeting.uri, { name: 'setLobbyAccess', user: pass.user, admit: true })).code, 'success');
    await guest.waitState((s) => s.participants.find((p) => p.user === pass.user)?.status === 'connected');
    const media = await guest.c3p(meeting.uri, { name: 'addUserMedia', mediaTypes: ['audio', 'video'] });
    assert.equal(media.code, 'success', media.message);
    assert.ok(media.media?.[0]?.credential);
    const muteAll = await alice.c3p(meeting.uri, { name: 'muteAll', kind: 'audio', muted: true });
    assert.equal(muteAll.code, 'success');
    assert.deepEqual((await mcuState(meeting.conferenceId)).users.find((u) => u.userId === pass.user)?.mutedByFocus, ['audio']);
  });

  test('group chat: a MESSAGE to the conference reaches every admitted participant, not the lobby', async () => {
    const res = await bob.ep.request('MESSAGE', meeting.uri, { body: 'hello all', contentType: 'text/plain', callId: bob.joinDialog!.callId, to: `<${meeting.uri}>;tag=${bob.joinDialog!.toTag}` });
    assert.equal(res.status, 200);
    const got = await alice.ep.waitForRequest((m) => m.method === 'MESSAGE' && m.body.toString().includes('hello all'));
    assert.equal(got.header('Content-Type'), 'application/vnd.ocs.conference-im+json');
    assert.deepEqual(JSON.parse(got.body.toString()).from, 'bob');
    assert.equal(got.header('Call-ID'), alice.joinDialog!.callId, 'in the join dialog');
  });

  test('lock refuses a new joiner with a clear reason; eject sends BYE and removes from the MCU', async () => {
    const carol = await client('carol');
    assert.equal((await alice.c3p(meeting.uri, { name: 'modifyConferenceLock', locked: true })).code, 'success');
    await bob.waitState((s) => s.locked);
    const refused = await carol.join(meeting.uri);
    assert.equal(refused.response.status, 403);
    assert.equal(refused.response.reason, 'Forbidden (the meeting is locked)');
    assert.equal((await alice.c3p(meeting.uri, { name: 'modifyConferenceLock', locked: false })).code, 'success');
    assert.equal((await carol.join(meeting.uri)).response.status, 200);

    assert.equal((await alice.c3p(meeting.uri, { name: 'deleteUser', user: 'carol' })).code, 'success');
    await carol.ep.waitForRequest((m) => m.method === 'BYE');
    await alice.waitState((s) => !s.participants.some((p) => p.user === 'carol'));
    assert.ok(!(await mcuState(meeting.conferenceId)).users.some((u) => u.userId === 'carol'));
    // Ejected people who come back wait in the lobby.
    const back = await carol.join(meeting.uri);
    assert.equal(back.answer?.status, 'pending');
  });

  test('closed meetings admit invitees only; leaving with BYE takes you off the roster', async () => {
    const dave = await client('dave');
    const closed = (await alice.factory({ name: 'addConference', meeting: { access: 'closed', invitees: [{ user: 'bob', role: 'presenter' }] } })).meeting!;
    const r = await dave.join(closed.uri);
    assert.equal(r.response.reason, 'Forbidden (this meeting is for invited people only)');
    const b2 = new ConferenceClient(bob.ep, fe.domain);
    assert.equal((await b2.join(closed.uri)).answer?.role, 'presenter');
    assert.equal((await b2.bye(closed.uri)).status, 200);
    const a2 = new ConferenceClient(alice.ep, fe.domain);
    await a2.join(closed.uri);
    await a2.subscribe(closed.uri);
    const s = await a2.waitState((v) => v.participants.length === 1);
    assert.deepEqual(s.participants.map((p) => p.user), ['alice']);
  });

  test('a restarted Front End resumes from the DB: clients rejoin, roles intact, media left running', async () => {
    await fe.close();
    fe = await TestFrontEnd.start({ overrides: { dataDir, httpPort } });
    bob = await client('bob');
    alice = await client('alice');
    assert.equal((await alice.join(meeting.uri)).answer?.role, 'organizer');
    const again = await bob.join(meeting.uri);
    assert.equal(again.answer?.role, 'presenter', 'role kept');
    assert.equal(again.answer?.status, 'connected');
    assert.equal((await bob.subscribe(meeting.uri)).status, 200);
    const roster = await bob.waitState((s) => s.participants.some((p) => p.user === 'alice'));
    assert.equal(roster.participants.find((p) => p.user === 'alice')?.role, 'organizer');
    // The MCU never noticed: the same users, still there.
    const after = await mcuState(meeting.conferenceId);
    for (const u of ['alice', 'bob']) assert.ok(after.users.some((x) => x.userId === u), u);
  });

  test('someone whose connection is gone and who does not rejoin leaves the roster and the MCU', async () => {
    const dave = await client('dave');
    assert.equal((await dave.join(meeting.uri)).answer?.status, 'connected');
    await alice.subscribe(meeting.uri);
    await alice.waitState((s) => s.participants.some((p) => p.user === 'dave'));
    dave.ep.connection.close();
    await alice.waitState((s) => !s.participants.some((p) => p.user === 'dave'), 15_000);
    assert.ok(!(await mcuState(meeting.conferenceId)).users.some((u) => u.userId === 'dave'));
  });

  test('end: the organizer ends the meeting; everyone gets BYE, the MCU conference is gone', async () => {
    const ended = await alice.c3p(meeting.uri, { name: 'deleteConference' });
    assert.equal(ended.code, 'success', ended.message);
    await bob.ep.waitForRequest((m) => m.method === 'BYE');
    const res = await fetch(mcu.ready.apiUrl + mcuApiPath(MCU_API_PATHS.conference, { conferenceId: meeting.conferenceId }), { headers: { authorization: `Bearer ${fe.fe.mcuSecret}` } });
    assert.equal(res.status, 404);
    const late = await (await client('dave')).join(meeting.uri);
    assert.equal(late.response.status, 404);
  });
});
