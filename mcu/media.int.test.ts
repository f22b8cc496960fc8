/**
 * Two headless Chromium pages in one conference through the real MCU (real mediasoup worker):
 * each sends fake mic + camera (simulcast), one also a screen share, and each must decode the
 * other's video. This is also the DTLS test for the worker build (scripts/build-mediasoup-worker.sh):
 * media flows only if a real DTLS handshake with Chromium completes, which the kTLS BIO patch
 * makes possible with Debian's libssl. Then: a Focus mute pauses forwarding, and a worker killed
 * mid-call is replaced and both pages get their media back without any user action.
 */
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { ConferenceState } from '../shared/mcu/http';
import { workerMissingReason } from './media/workerBin';
import { CHROMIUM_PATH, launchChromium, openTestPage, serveTestPage, startTestMcu, waitFor, type TestMcu } from './testing/harness';

const skip = workerMissingReason() ?? (existsSync(CHROMIUM_PATH) ? undefined : `no Chromium at ${CHROMIUM_PATH}`);

type Stats = { bytesReceived: number; framesDecoded: number; consumers: number; sources: string[]; generation: number; reconnects: number };
type PageEvent = { event: string; payload: Record<string, unknown> };

describe('AV MCU with two Chromium pages', { skip }, () => {
  const CONF = 'conf-media';
  let mcu: TestMcu;
  let browser: Browser;
  let site: { url: string; close(): Promise<void> };
  let alice: Page;
  let bob: Page;

  const stats = (page: Page) => page.evaluate(() => window.mcuTest.stats()) as Promise<Stats>;
  const events = (page: Page) => page.evaluate(() => window.mcuTest.events()) as Promise<PageEvent[]>;
  /** Decoded frames keep rising by `frames` on the page (from now). */
  async function framesRise(page: Page, frames: number, what: string): Promise<Stats> {
    const start = await stats(page);
    return waitFor(() => stats(page), (s) => s.framesDecoded >= start.framesDecoded + frames && s.bytesReceived > start.bytesReceived, 20_000, what);
  }

  before(async () => {
    mcu = await startTestMcu();
    assert.equal((await mcu.api('POST', '/v1/conferences', { conferenceId: CONF })).status, 201);
    site = await serveTestPage();
    browser = await launchChromium();
    alice = await openTestPage(browser, site.url);
    bob = await openTestPage(browser, site.url);
    const join = async (page: Page, userId: string, screen: boolean) => {
      const grant = await mcu.addUser(CONF, userId);
      await page.evaluate((o) => window.mcuTest.start(o), {
        signalingUrl: grant.signalingUrl,
        signalingPath: grant.signalingPath,
        credential: grant.credential,
        handlerName: 'Chrome111' as const,
        screen,
      });
    };
    await join(alice, 'alice', true);
    await join(bob, 'bob', false);
  });

  after(async () => {
    await browser?.close();
    await site?.close();
    await mcu?.close();
  });

  test('each page receives and decodes the other one\'s audio and video', async () => {
    const a = await framesRise(alice, 30, 'alice decoding bob');
    const b = await framesRise(bob, 30, 'bob decoding alice');
    assert.deepEqual(a.sources, ['camera', 'mic']);
    assert.deepEqual(b.sources, ['camera', 'mic', 'screen'], 'the screen share is its own producer');
    assert.ok(a.bytesReceived > 10_000 && b.bytesReceived > 10_000);
  });

  test('cameras are sent as simulcast, screen share separately', () => {
    const room = mcu.conferences.get(CONF)!;
    const producers = [...room.peer('alice')!.producers.values()];
    const camera = producers.find((p) => p.appData.source === 'camera');
    const screen = producers.find((p) => p.appData.source === 'screen');
    assert.equal(camera?.type, 'simulcast');
    assert.equal(camera?.rtpParameters.encodings?.length, 3);
    assert.equal(screen?.kind, 'video');
  });

  test('the active speaker is detected from the microphones', async () => {
    const state = await waitFor(
      async () => (await mcu.api<ConferenceState>('GET', `/v1/conferences/${CONF}`)).body,
      (s) => s.activeSpeaker !== null,
      15_000,
      'an active speaker',
    );
    assert.ok(['alice', 'bob'].includes(state.activeSpeaker!));
    const seen = [...(await events(alice)), ...(await events(bob))].filter((e) => e.event === 'activeSpeaker');
    assert.ok(seen.length > 0, 'pages are told who speaks');
  });

  test('a Focus mute stops forwarding at the MCU and tells everyone; unmute resumes', async () => {
    const muted = await mcu.api<{ producers: { kind: string; paused: boolean }[] }>('POST', `/v1/conferences/${CONF}/users/alice/mute`, { kind: 'video', muted: true });
    assert.equal(muted.status, 200);
    assert.ok(muted.body.producers.filter((p) => p.kind === 'video').every((p) => p.paused));
    await waitFor(() => events(bob), (e) => e.filter((x) => x.event === 'consumerPaused').length >= 2, 10_000, 'bob told alice\'s video paused');
    await waitFor(() => events(alice), (e) => e.some((x) => x.event === 'mediaMuted' && x.payload.userId === 'alice' && x.payload.muted === true), 10_000, 'alice told she is muted');
    // While muted, bob decodes only... nothing new from alice's camera or screen: the MCU forwards no video.
    const before = await stats(bob);
    await new Promise((r) => setTimeout(r, 1_000));
    const during = await stats(bob);
    assert.ok(during.framesDecoded - before.framesDecoded < 5, `no video forwarded while muted (${during.framesDecoded - before.framesDecoded} frames)`);
    assert.equal((await mcu.api('POST', `/v1/conferences/${CONF}/users/alice/mute`, { kind: 'video', muted: false })).status, 200);
    await waitFor(() => events(bob), (e) => e.filter((x) => x.event === 'consumerResumed').length >= 2, 10_000, 'bob told alice\'s video resumed');
    await framesRise(bob, 30, 'bob decoding alice again after unmute');
  });

  test('killing the worker mid-call: both pages recover media by themselves', async () => {
    const room = mcu.conferences.get(CONF)!;
    const pid = room.media().entry.worker.pid;
    const generation = room.generation;
    process.kill(pid, 'SIGKILL');
    const recovered = (page: Page, who: string) =>
      waitFor(() => stats(page), (s) => s.reconnects >= 1 && s.generation > generation && s.framesDecoded > 30, 30_000, `${who} decoding after the worker died`);
    const [a, b] = await Promise.all([recovered(alice, 'alice'), recovered(bob, 'bob')]);
    assert.notEqual(room.media().entry.worker.pid, pid, 'the room moved to a live worker');
    assert.deepEqual(a.sources, ['camera', 'mic']);
    assert.deepEqual(b.sources, ['camera', 'mic', 'screen']);
    await framesRise(alice, 30, 'alice keeps decoding');
    await framesRise(bob, 30, 'bob keeps decoding');
    await waitFor(async () => mcu.pool.entries().length, (n) => n === mcu.pool.size, 15_000, 'the dead worker replaced');
  });
});
