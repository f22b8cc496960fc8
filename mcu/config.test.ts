import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mcuEnvironment } from '../shared/mcu/env';
import { loadMcuConfig, McuConfigError } from './config';

const SECRET = 'sixteen-chars-at-least';

test('defaults: loopback, port 8090, one worker per core, no factory', () => {
  const config = loadMcuConfig({ MCU_SECRET: SECRET });
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.port, 8090);
  assert.ok(config.workers >= 1);
  assert.equal(config.factoryUrl, undefined);
  assert.equal(config.rtc.listenIp, '127.0.0.1');
  assert.equal(config.rtc.port, undefined);
  assert.equal(config.credentialTtlMs, 300_000);
  assert.deepEqual(config.limits, { maxTransports: 4, maxProducers: 4, maxConsumers: 256 });
  assert.match(config.mcuId, /^av-/);
});

test('the environment built by mcuEnvironment() is read back', () => {
  const env = mcuEnvironment({
    secret: SECRET,
    port: 0,
    workers: 2,
    factoryUrl: 'http://127.0.0.1:9/fe',
    rtcListenIp: '0.0.0.0',
    rtcAnnouncedAddress: '192.0.2.10',
    rtcPort: 40000,
    credentialTtlSeconds: 60,
    maxProducersPerPeer: 2,
    corsOrigins: 'https://a.example, https://b.example',
  });
  const config = loadMcuConfig(env);
  assert.equal(config.port, 0);
  assert.equal(config.workers, 2);
  assert.equal(config.factoryUrl, 'http://127.0.0.1:9/fe');
  assert.deepEqual(config.rtc, { listenIp: '0.0.0.0', announcedAddress: '192.0.2.10', port: 40000 });
  assert.equal(config.credentialTtlMs, 60_000);
  assert.equal(config.limits.maxProducers, 2);
  assert.deepEqual(config.corsOrigins, ['https://a.example', 'https://b.example']);
});

test('a missing or short secret, bad numbers and an unannounced wildcard address are refused', () => {
  assert.throws(() => loadMcuConfig({}), McuConfigError);
  assert.throws(() => loadMcuConfig({ MCU_SECRET: 'short' }), /at least 16/);
  assert.throws(() => loadMcuConfig({ MCU_SECRET: SECRET, MCU_PORT: '70000' }), /MCU_PORT/);
  assert.throws(() => loadMcuConfig({ MCU_SECRET: SECRET, MCU_WORKERS: 'two' }), /MCU_WORKERS/);
  assert.throws(() => loadMcuConfig({ MCU_SECRET: SECRET, MCU_RTC_LISTEN_IP: '0.0.0.0' }), /MCU_RTC_ANNOUNCED_ADDRESS/);
  assert.throws(() => loadMcuConfig({ MCU_SECRET: SECRET, MCU_LOG_LEVEL: 'loud' }), /MCU_LOG_LEVEL/);
});
