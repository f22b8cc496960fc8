/**
 * The MCU's two doors, against a real MCU (real mediasoup workers): the Focus HTTP API (bearer
 * secret, schemas, 4xx bodies, conference and user life cycle) and socket.io admission
 * (credential genuine, unexpired, for an admitted user) and request validation.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { io, type Socket } from 'socket.io-client';
import type { AddUserReply, ConferenceState, McuState, UserState } from '../shared/mcu/http';
import type { Ack } from '../shared/mcu/signaling';
import { CredentialAuthority } from './credentials';
import { workerMissingReason } from './media/workerBin';
import { startTestMcu, waitFor, type TestMcu } from './testing/harness';

type ErrorBody = { error: { code: string; message: string } };

describe('AV MCU HTTP API and signaling admission', { skip: workerMissingReason() }, () => {
  let mcu: TestMcu;
  const sockets: Socket[] = [];

  before(async () => {
    mcu = await startTestMcu({ workers: 1, limits: { maxTransports: 2, maxProducers: 2, maxConsumers: 8 } });
  });
  after(async () => {
    for (const s of sockets) s.close();
    await mcu?.close();
  });

  /** Opens socket.io with a credential; resolves 'connected' or the refusal code. */
  async function connect(grant: Pick<AddUserReply, 'signalingUrl' | 'signalingPath'>, credential: unknown): Promise<{ outcome: string; socket: Socket }> {
    const socket = io(grant.signalingUrl, { path: grant.signalingPath, auth: { credential }, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    const outcome = await new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (err: Error & { data?: { code: string } }) => resolve(err.data?.code ?? `no code: ${err.message}`));
    });
    return { outcome, socket };
  }

  const request = (socket: Socket, event: string, ...args: unknown[]) =>
    socket.timeout(5_000).emitWithAck(event, ...args) as Promise<Ack<Record<string, unknown>>>;

  test('every route but health refuses a missing or wrong bearer secret with 401', async () => {
    assert.equal((await mcu.api('GET', '/v1/health', undefined, null)).status, 200);
    for (const auth of [null, 'wrong-secret', '']) {
      const res = await mcu.api<ErrorBody>('GET', '/v1/state', undefined, auth);
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'UNAUTHORIZED');
    }
    const res = await mcu.api<ErrorBody>('POST', '/v1/conferences', { conferenceId: 'x' }, 'nope');
    assert.equal(res.status, 401);
    assert.equal(mcu.conferences.get('x'), undefined, 'nothing created without the secret');
  });

  test('schema violations are 400 with a message naming the problem', async () => {
    const cases: [string, string, unknown][] = [
      ['POST', '/v1/conferences', {}],
      ['POST', '/v1/conferences', { conferenceId: 'bad id with spaces' }],
      ['POST', '/v1/conferences', { conferenceId: 'c1', mediaTypes: ['smell'] }],
      ['POST', '/v1/conferences', { conferenceId: 'c1', extra: true }],
      ['POST', '/v1/conferences', '{not json'],
    ];
    for (const [method, path, body] of cases) {
      const res = await mcu.api<ErrorBody>(method, path, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'BAD_REQUEST');
      assert.ok(res.body.error.message.length > 0);
    }
    assert.equal((await mcu.api<ErrorBody>('GET', '/v1/nowhere')).status, 404);
  });

  test('conference and user life cycle: create, add, mute, state, remove, end', async () => {
    const created = await mcu.api<ConferenceState>('POST', '/v1/conferences', { conferenceId: 'life', mediaTypes: ['audio', 'video'] });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.mediaTypes, ['audio', 'video']);
    assert.equal((await mcu.api('POST', '/v1/conferences', { conferenceId: 'life', mediaTypes: ['video', 'audio'] })).status, 200, 'idempotent');
    assert.equal((await mcu.api<ErrorBody>('POST', '/v1/conferences', { conferenceId: 'life', mediaTypes: ['audio'] })).body.error.code, 'CONFERENCE_EXISTS');

    const grant = await mcu.addUser('life', 'carol', 30);
    assert.ok(grant.expiresAt > Date.now() && grant.expiresAt <= Date.now() + 30_000);
    assert.equal(grant.signalingUrl, mcu.signalingUrl);
    assert.equal((await mcu.api<ErrorBody>('POST', '/v1/conferences/none/users', { userId: 'x' })).body.error.code, 'CONFERENCE_NOT_FOUND');

    const mute = await mcu.api<UserState>('POST', '/v1/conferences/life/users/carol/mute', { kind: 'audio', muted: true });
    assert.equal(mute.status, 200);
    assert.deepEqual(mute.body.mutedByFocus, ['audio']);
    assert.equal((await mcu.api<ErrorBody>('POST', '/v1/conferences/life/users/dave/mute', { kind: 'audio', muted: true })).status, 404);
    assert.equal((await mcu.api('POST', '/v1/conferences/life/users/carol/mute', { kind: 'sound', muted: true })).status, 400);

    const state = await mcu.api<McuState>('GET', '/v1/state');
    assert.equal(state.body.mcuId, mcu.mcuId);
    assert.ok(state.body.conferences.some((c) => c.conferenceId === 'life' && c.users.some((u) => u.userId === 'carol')));
    assert.ok(state.body.load.workers.length === 1);

    const { outcome, socket } = await connect(grant, grant.credential);
    assert.equal(outcome, 'connected');
    const removed = new Promise((resolve) => socket.once('removed', resolve));
    assert.equal((await mcu.api('DELETE', '/v1/conferences/life/users/carol')).status, 204);
    assert.deepEqual(await removed, { reason: 'removed' });
    await waitFor(async () => socket.connected, (c) => !c, 5_000, 'the removed user disconnected');
    assert.equal((await connect(grant, grant.credential)).outcome, 'USER_NOT_FOUND', 'a removed user cannot come back with the old credential');
    assert.equal((await mcu.api('DELETE', '/v1/conferences/life/users/carol')).status, 404);

    assert.equal((await mcu.api('DELETE', '/v1/conferences/life')).status, 204);
    assert.equal((await mcu.api('GET', '/v1/conferences/life')).status, 404);
    assert.equal((await mcu.api('DELETE', '/v1/conferences/life')).status, 404);
  });

  test('socket.io admission: only a genuine, unexpired credential for an admitted user', async () => {
    await mcu.api('POST', '/v1/conferences', { conferenceId: 'door' });
    await mcu.api('POST', '/v1/conferences', { conferenceId: 'other' });
    const grant = await mcu.addUser('door', 'erin');
    // Signed with the right key but already expired / for a conference that does not exist.
    const backdated = new CredentialAuthority(mcu.secret, () => Date.now() - 3_600_000).issue('door', 'erin', 60_000).credential;
    const forged = new CredentialAuthority('not-the-mcu-secret-at-all').issue('door', 'erin', 60_000).credential;
    const elsewhere = new CredentialAuthority(mcu.secret).issue('gone', 'erin', 60_000).credential;
    const stranger = new CredentialAuthority(mcu.secret).issue('other', 'erin', 60_000).credential;
    assert.equal((await connect(grant, undefined)).outcome, 'CREDENTIAL_INVALID');
    assert.equal((await connect(grant, 'garbage')).outcome, 'CREDENTIAL_INVALID');
    assert.equal((await connect(grant, forged)).outcome, 'CREDENTIAL_INVALID');
    assert.equal((await connect(grant, backdated)).outcome, 'CREDENTIAL_EXPIRED');
    assert.equal((await connect(grant, elsewhere)).outcome, 'CONFERENCE_NOT_FOUND');
    assert.equal((await connect(grant, stranger)).outcome, 'USER_NOT_FOUND', 'a credential for a conference the user was not added to');
    assert.equal((await connect(grant, grant.credential)).outcome, 'connected');
  });

  test('bad signaling input gets an error acknowledgement and the connection survives', async () => {
    await mcu.api('POST', '/v1/conferences', { conferenceId: 'input' });
    const grant = await mcu.addUser('input', 'frank');
    const { outcome, socket } = await connect(grant, grant.credential);
    assert.equal(outcome, 'connected');
    const code = async (...args: unknown[]) => {
      const reply = await request(socket, args[0] as string, ...args.slice(1));
      return reply.ok ? 'ok' : reply.error.code;
    };
    assert.equal(await code('createTransport', { direction: 'send' }), 'NOT_JOINED');
    assert.equal(await code('join', { rtpCapabilities: 'lots' }), 'BAD_REQUEST');
    assert.equal(await code('createTransport', { direction: 'sideways' }), 'BAD_REQUEST');
    assert.equal(await code('createTransport', { direction: 'send', extra: 1 }), 'BAD_REQUEST');
    assert.equal(await code('createTransport'), 'BAD_REQUEST');
    assert.equal(await code('noSuchRequest', {}), 'BAD_REQUEST');
    assert.equal(await code('__proto__', {}), 'BAD_REQUEST');
    assert.equal(await code('getRouterRtpCapabilities', {}), 'ok');
    assert.equal(await code('join', { rtpCapabilities: { codecs: [] } }), 'ok');
    assert.equal(await code('connectTransport', { transportId: 'nope', dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: 'AA' }] } }), 'NOT_FOUND');
    assert.equal(await code('consume', { producerId: 'nope' }), 'NOT_FOUND');
    assert.equal(await code('createTransport', { direction: 'send' }), 'ok');
    assert.equal(await code('createTransport', { direction: 'recv' }), 'ok');
    assert.equal(await code('createTransport', { direction: 'recv' }), 'LIMIT_REACHED');
    const send = [...mcu.conferences.get('input')!.peer('frank')!.transports.values()].find((t) => t.appData.direction === 'send')!;
    const produced = await request(socket, 'produce', { transportId: send.id, kind: 'audio', source: 'mic', rtpParameters: { codecs: [{ mimeType: 'audio/nonsense' }] } });
    assert.equal(produced.ok ? 'ok' : produced.error.code, 'BAD_REQUEST', 'mediasoup rejects bad RTP parameters; we answer 4xx');
    assert.equal(await code('produce', { transportId: send.id, kind: 'video', source: 'mic', rtpParameters: { codecs: [{}] } }), 'BAD_REQUEST');
    assert.ok(socket.connected, 'still connected after all of that');
    assert.equal(await code('getRouterRtpCapabilities', {}), 'ok');
  });

  test('ending a conference tells its users and refuses new connections', async () => {
    await mcu.api('POST', '/v1/conferences', { conferenceId: 'ending' });
    const grant = await mcu.addUser('ending', 'gina');
    const { socket } = await connect(grant, grant.credential);
    const removed = new Promise((resolve) => socket.once('removed', resolve));
    assert.equal((await mcu.api('DELETE', '/v1/conferences/ending')).status, 204);
    assert.deepEqual(await removed, { reason: 'conference-ended' });
    assert.equal((await connect(grant, grant.credential)).outcome, 'CONFERENCE_NOT_FOUND');
  });
});
