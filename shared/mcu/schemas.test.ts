import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Value } from '@sinclair/typebox/value';
import { AddUserBody, CreateConferenceBody, MCU_API_PATHS, mcuApiPath, MuteBody } from './http';
import { mediaTypeOf } from './ids';
import { McuLoad, McuRegistration } from './factory';
import { SignalingRequestSchemas } from './signaling';
import { mcuEnvironment, MCU_ENV } from './env';

test('API paths are filled with encoded parameters', () => {
  assert.equal(mcuApiPath(MCU_API_PATHS.userMute, { conferenceId: 'c 1', userId: 'a/b' }), '/v1/conferences/c%201/users/a%2Fb/mute');
});

test('HTTP bodies: ids are bounded and plain, extra properties refused', () => {
  assert.ok(Value.Check(CreateConferenceBody, { conferenceId: 'conf-1', mediaTypes: ['audio', 'screen'] }));
  assert.ok(!Value.Check(CreateConferenceBody, { conferenceId: 'x'.repeat(200) }));
  assert.ok(!Value.Check(CreateConferenceBody, { conferenceId: '../etc' }));
  assert.ok(!Value.Check(CreateConferenceBody, { conferenceId: 'c', mediaTypes: ['audio', 'audio'] }));
  assert.ok(Value.Check(AddUserBody, { userId: 'alice@example.com', ttlSeconds: 60 }));
  assert.ok(!Value.Check(AddUserBody, { userId: 'alice', ttlSeconds: 1 }));
  assert.ok(!Value.Check(MuteBody, { kind: 'video', muted: true, extra: 1 }));
});

test('signaling schemas: mediasoup objects need their top-level shape, requests nothing more', () => {
  assert.ok(Value.Check(SignalingRequestSchemas.connectTransport, { transportId: 't', dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB' }] } }));
  assert.ok(!Value.Check(SignalingRequestSchemas.connectTransport, { transportId: 't', dtlsParameters: { fingerprints: [] } }));
  assert.ok(!Value.Check(SignalingRequestSchemas.produce, { transportId: 't', kind: 'video', source: 'camera', rtpParameters: { codecs: [] } }));
  assert.ok(!Value.Check(SignalingRequestSchemas.consume, { producerId: 'p', rtpCapabilities: {} }));
  assert.ok(Value.Check(SignalingRequestSchemas.getRouterRtpCapabilities, {}));
});

test('media types: screen share counts as screen whatever its kind', () => {
  assert.equal(mediaTypeOf('audio', 'mic'), 'audio');
  assert.equal(mediaTypeOf('video', 'camera'), 'video');
  assert.equal(mediaTypeOf('video', 'screen'), 'screen');
  assert.equal(mediaTypeOf('audio', 'screen'), 'screen');
});

test('factory messages: a registration and a load report', () => {
  assert.ok(Value.Check(McuRegistration, { mcuId: 'av-1', kind: 'av', apiUrl: 'http://127.0.0.1:8090', mediaTypes: ['audio'], capacity: { workers: 2, maxConsumers: 1000 }, version: 'x' }));
  assert.ok(!Value.Check(McuRegistration, { mcuId: 'av-1', kind: 'av', apiUrl: 'u', mediaTypes: [], capacity: { workers: 0, maxConsumers: 1 }, version: 'x' }));
  assert.ok(Value.Check(McuLoad, { mcuId: 'a', at: 1, conferences: 0, users: 0, transports: 0, producers: 0, consumers: 0, cpu: 0, workers: [{ pid: 1, routers: 0, cpu: 0.5 }] }));
});

test('mcuEnvironment names every given option with its MCU_* variable and skips the rest', () => {
  assert.deepEqual(mcuEnvironment({ secret: 's', port: 0, factoryUrl: undefined, workers: '' }), { [MCU_ENV.secret]: 's', [MCU_ENV.port]: '0' });
});
