/**
 * 1:1 video calls in real browsers (Chromium's fake camera and microphone) through the real
 * Front End: the INVITE forks to both of bob's tabs, one answers and the other stops ringing,
 * each side's remote <video> really plays, hold/resume and hang-up reach the other side; a
 * declined call is reported to the caller.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { signedIn, startChat, UI_TIMEOUT_MS, unnamedControls } from './fixtures/app';
import { newTab, screenshot, withPages } from './fixtures/browser';
import { waitFor } from './fixtures/ports';
import type { FrontEndProcess } from './fixtures/server';
import { ALICE, BOB, startBrowserSuite, stopBrowserSuite } from './fixtures/suite';

const MEDIA_TIMEOUT_MS = 20_000;

/** The remote <video> has decoded frames and its clock advances: media really flows. */
async function remoteVideoPlays(page: Page): Promise<void> {
  const video = page.getByTestId('remote-video');
  await video.waitFor({ timeout: MEDIA_TIMEOUT_MS });
  const sample = () => video.evaluate((v: HTMLVideoElement) => ({ width: v.videoWidth, time: v.currentTime, paused: v.paused }));
  const first = await waitFor('remote video frames', async () => {
    const s = await sample();
    return s.width > 0 && s.time > 0 ? s : undefined;
  }, MEDIA_TIMEOUT_MS);
  await waitFor('remote video time advancing', async () => ((await sample()).time > first.time + 0.3 ? true : undefined), MEDIA_TIMEOUT_MS);
  assert.equal((await sample()).paused, false);
}

async function callPhase(page: Page, phase: string): Promise<void> {
  await page.locator(`[data-testid="call-stage"][data-phase="${phase}"]`).waitFor({ timeout: MEDIA_TIMEOUT_MS });
}

describe('calls (browser)', () => {
  let fe: FrontEndProcess;
  let browser: Browser;

  before(async () => ({ fe, browser } = await startBrowserSuite([ALICE, BOB])));
  after(() => stopBrowserSuite({ fe, browser }));

  test('video call: rings on both of bob\'s tabs, one answers, video plays both ways, hold, hang up', async (t) => {
    await withPages(browser, t.name, () => fe.log, 2, async (pages) => {
      const alice = pages[0]!.page;
      const bob = pages[1]!.page;
      const bobTab2 = await newTab(pages[1]!.context);
      pages.push(bobTab2);
      await signedIn(alice, fe.url, ALICE);
      await signedIn(bob, fe.url, BOB);
      await signedIn(bobTab2.page, fe.url, BOB);

      await startChat(alice, 'bob');
      await alice.getByTestId('video-call').click();
      await alice.getByTestId('call-stage').waitFor({ timeout: UI_TIMEOUT_MS });

      // Every endpoint of bob rings.
      for (const page of [bob, bobTab2.page]) {
        const toast = page.getByTestId('incoming-call');
        await toast.waitFor({ timeout: UI_TIMEOUT_MS });
        assert.match(await toast.innerText(), /Alice Liddell[\s\S]*Incoming video call/);
      }
      await callPhase(alice, 'ringing');
      await screenshot(bob, 'call-incoming');
      await screenshot(alice, 'call-ringing');

      // Bob answers on his first tab: the second one stops ringing.
      await bob.getByTestId('answer-video').click();
      await bobTab2.page.getByTestId('incoming-call').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
      assert.equal(await bobTab2.page.getByTestId('call-stage').count(), 0);
      await callPhase(alice, 'connected');
      await callPhase(bob, 'connected');
      await remoteVideoPlays(alice);
      await remoteVideoPlays(bob);
      await screenshot(alice, 'call-connected');
      assert.deepEqual(await unnamedControls(alice), []);
      assert.deepEqual(await unnamedControls(bobTab2.page), []);

      // Mute is local; hold reaches the other side as a re-INVITE.
      const mute = alice.getByRole('button', { name: 'Mute' });
      await mute.click();
      assert.equal(await alice.getByRole('button', { name: 'Unmute' }).getAttribute('aria-pressed'), 'true');
      await alice.getByRole('button', { name: 'Hold' }).click();
      await alice.getByTestId('call-status').filter({ hasText: 'On hold' }).waitFor({ timeout: UI_TIMEOUT_MS });
      await bob.getByTestId('call-status').filter({ hasText: 'put the call on hold' }).waitFor({ timeout: UI_TIMEOUT_MS });
      await screenshot(bob, 'call-remote-hold');
      await alice.getByRole('button', { name: 'Resume' }).click();
      await bob.getByTestId('call-status').filter({ hasText: /^\d+:\d\d$/ }).waitFor({ timeout: UI_TIMEOUT_MS });
      await remoteVideoPlays(bob);

      // Alice hangs up: bob's call ends too.
      await alice.getByTestId('hang-up').click();
      await callPhase(bob, 'ended');
      await bob.getByTestId('call-stage').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
      await alice.getByTestId('call-stage').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });

      for (const tp of pages) assert.ok(!tp.console.some((l) => l.startsWith('[pageerror]')), tp.console.join('\n'));
    });
  });

  test('a declined call tells the caller', async (t) => {
    await withPages(browser, t.name, () => fe.log, 2, async ([a, b]) => {
      const alice = a!.page;
      const bob = b!.page;
      await signedIn(alice, fe.url, ALICE);
      await signedIn(bob, fe.url, BOB);
      await startChat(alice, 'bob');
      await alice.getByTestId('audio-call').click();
      await bob.getByTestId('incoming-call').waitFor({ timeout: UI_TIMEOUT_MS });
      assert.match(await bob.getByTestId('incoming-call').innerText(), /Incoming call/);
      await bob.getByTestId('decline').click();
      await alice.getByTestId('call-status').filter({ hasText: 'Call declined' }).waitFor({ timeout: UI_TIMEOUT_MS });
      await alice.getByTestId('call-stage').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    });
  });

  test('a call turned away by Do not disturb is a missed call in the chat; a cancelled one stops ringing', async (t) => {
    await withPages(browser, t.name, () => fe.log, 2, async ([a, b]) => {
      const alice = a!.page;
      const bob = b!.page;
      await signedIn(alice, fe.url, ALICE);
      await signedIn(bob, fe.url, BOB);
      await startChat(alice, 'bob');

      await alice.getByTestId('audio-call').click();
      await bob.getByTestId('incoming-call').waitFor({ timeout: UI_TIMEOUT_MS });
      await alice.getByTestId('hang-up').click();
      await bob.getByTestId('incoming-call').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });

      await bob.getByTestId('my-status').click();
      await bob.getByRole('menuitemradio', { name: 'Do not disturb' }).click();
      await bob.getByTestId('my-status-label').filter({ hasText: 'Do not disturb' }).waitFor({ timeout: UI_TIMEOUT_MS });
      await alice.getByTestId('call-stage').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
      await alice.getByTestId('video-call').click();
      await alice.getByTestId('call-status').filter({ hasText: 'Busy' }).waitFor({ timeout: UI_TIMEOUT_MS });
      assert.equal(await bob.getByTestId('incoming-call').count(), 0, 'Do not disturb: no ringing');

      await bob.getByTestId('rail-chat').click();
      await bob.getByTestId('chat-item').filter({ hasText: 'Alice Liddell' }).click();
      await bob.getByTestId('message-event').filter({ hasText: 'Missed video call from Alice Liddell' }).waitFor({ timeout: UI_TIMEOUT_MS });
      await screenshot(bob, 'call-missed');
    });
  });
});
