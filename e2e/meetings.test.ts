/**
 * Meetings in real browsers (Chromium, fake camera and microphone) through the real Front End and
 * a real AV MCU: the organizer schedules a meeting open to guests, a colleague joins by the link, a
 * guest joins by link and PIN into the lobby and is admitted; everyone's video really plays; the
 * organizer mutes the guest and the guest's audio stops reaching the others (inbound audio bytes
 * stop rising); a screen share is seen; the meeting is locked and a new joiner is refused with the
 * reason; the Front End restarts and the meeting goes on; eject.
 *
 * The MCU is started by the test (not by the Front End process) so that it outlives the Front
 * End's restart, as an MCU on its own machine would.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { signedIn, UI_TIMEOUT_MS } from './fixtures/app';
import { openPage, withPages } from './fixtures/browser';
import { waitFor } from './fixtures/ports';
import type { FrontEndProcess } from './fixtures/server';
import { ALICE, BOB, CAROL, startBrowserSuite, stopBrowserSuite } from './fixtures/suite';
import { spawnMcu, type SpawnedMcu } from '../mcu/spawn';
import { workerMissingReason } from '../mcu/media/workerBin';

const MEDIA_TIMEOUT_MS = 30_000;
const PIN = '246810';

/** Replaces the screen picker (not drivable headless) with an animated canvas. */
const FAKE_SCREEN = `
  navigator.mediaDevices.getDisplayMedia = async () => {
    const c = document.createElement('canvas'); c.width = 640; c.height = 360;
    const g = c.getContext('2d'); let f = 0;
    setInterval(() => { g.fillStyle = '#246'; g.fillRect(0, 0, 640, 360); g.fillStyle = '#fff'; g.font = '40px sans-serif'; g.fillText('slide ' + (f++), 40 + (f % 400), 180); }, 50);
    return c.captureStream(20);
  };`;

type Stats = Record<string, { audioBytes: number; framesDecoded: number }>;
const statsOf = (page: Page) => page.evaluate(() => (globalThis as unknown as { ocsMeetingStats?: () => Promise<Stats> }).ocsMeetingStats?.() ?? Promise.resolve({} as Stats));

/** `user`'s video decodes on `page` and keeps decoding. */
async function videoPlays(page: Page, user: string, tile = `tile-${user}`): Promise<void> {
  await page.getByTestId(tile).locator('video').waitFor({ timeout: MEDIA_TIMEOUT_MS });
  const frames = () => page.getByTestId(tile).locator('video').evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames);
  const first = await waitFor(`${user}'s video frames`, async () => ((await frames()) > 0 ? frames() : undefined), MEDIA_TIMEOUT_MS);
  await waitFor(`${user}'s video frames rising`, async () => ((await frames()) > first + 5 ? true : undefined), MEDIA_TIMEOUT_MS);
}

async function audioBytes(page: Page, user: string): Promise<number> {
  return (await statsOf(page))[user]?.audioBytes ?? 0;
}

async function audioRising(page: Page, user: string): Promise<boolean> {
  const a = await audioBytes(page, user);
  await new Promise((r) => setTimeout(r, 1_500));
  return (await audioBytes(page, user)) > a;
}

function readMcuSecret(dataDir: string): string {
  const db = new Database(join(dataDir, 'ocs.sqlite'), { readonly: true });
  try {
    const row = db.prepare("SELECT value FROM settings WHERE key = 'mcu-secret'").get() as { value: string } | undefined;
    if (!row) throw new Error('no mcu-secret in the Front End DB');
    return Buffer.from(row.value, 'base64').toString('base64url');
  } finally {
    db.close();
  }
}

describe('meetings (browsers + MCU)', { skip: workerMissingReason() }, () => {
  let fe: FrontEndProcess;
  let mcu: SpawnedMcu;
  let browser: Browser;

  before(async () => {
    ({ fe, browser } = await startBrowserSuite([ALICE, BOB, CAROL]));
    mcu = await spawnMcu({ env: { secret: readMcuSecret(fe.dataDir), factoryUrl: `${fe.url}/mcu-factory`, host: '127.0.0.1', port: 0, workers: 1, loadIntervalMs: 1_000, logLevel: 'warn' }, stderr: 'ignore' });
  });

  after(async () => {
    await mcu?.stop();
    await stopBrowserSuite({ fe, browser });
  });

  test('organizer, colleague and admitted guest see each other; mute, screen share, lock, restart, eject', async (t) => {
    await withPages(browser, t.name, () => fe.log, 3, async (pages) => {
      const [alice, bob, guest] = pages.map((p) => p.page) as [Page, Page, Page];
      await alice.addInitScript(FAKE_SCREEN);
      await signedIn(alice, fe.url, ALICE);
      await signedIn(bob, fe.url, BOB);

      // The organizer schedules a meeting open to guests with a PIN.
      await alice.getByTestId('rail-meetings').click();
      await alice.getByTestId('schedule-meeting').click();
      const form = alice.getByTestId('schedule-form');
      await form.getByLabel('Subject').fill('Quarterly review');
      await form.getByLabel('Who can join').selectOption('anonymous');
      await form.getByLabel('PIN for guests').fill(PIN);
      await form.getByRole('button', { name: 'Create meeting' }).click();
      const stage = alice.getByTestId('meeting-stage');
      await stage.waitFor({ timeout: UI_TIMEOUT_MS });
      const uri = (await stage.getAttribute('data-conference-uri'))!;
      const id = /focus:id:([a-z0-9]+)/.exec(uri)![1]!;
      const link = `${fe.url}/join/${id}`;

      // A colleague opens the link while signed in: straight in.
      await bob.goto(link);
      await bob.getByTestId('meeting-stage').waitFor({ timeout: UI_TIMEOUT_MS });

      // A guest opens the link: name and PIN, then the lobby until the organizer admits.
      await guest.goto(link);
      await guest.getByLabel('Your name').fill('Gail Guest');
      await guest.getByLabel('Meeting PIN').fill(PIN);
      await guest.getByRole('button', { name: 'Join as a guest' }).click();
      await guest.getByTestId('meeting-lobby').waitFor({ timeout: UI_TIMEOUT_MS });
      const lobbyEntry = alice.locator('[data-testid^="lobby-guest-"]');
      await lobbyEntry.waitFor({ timeout: UI_TIMEOUT_MS });
      const guestId = (await lobbyEntry.getAttribute('data-testid'))!.replace(/^lobby-/, '');
      await lobbyEntry.getByRole('button', { name: 'Admit' }).click();
      await guest.getByTestId('meeting-stage').waitFor({ timeout: UI_TIMEOUT_MS });

      // Everyone's video really plays everywhere.
      await videoPlays(alice, 'bob');
      await videoPlays(alice, guestId);
      await videoPlays(bob, 'alice');
      await videoPlays(bob, guestId);
      await videoPlays(guest, 'alice');
      await videoPlays(guest, 'bob');

      // The organizer mutes the guest: the MCU stops forwarding, the others' inbound bytes stop.
      assert.ok(await waitFor('guest audio reaching bob', async () => ((await audioRising(bob, guestId)) ? true : undefined), MEDIA_TIMEOUT_MS));
      await alice.getByTestId(`participant-${guestId}`).getByRole('button', { name: /^Mute / }).click();
      await alice.locator(`[data-testid="participant-${guestId}"][data-muted="true"]`).waitFor({ timeout: UI_TIMEOUT_MS });
      await waitFor('guest audio stopped at bob', async () => ((await audioRising(bob, guestId)) ? undefined : true), MEDIA_TIMEOUT_MS);
      assert.equal(await audioRising(alice, guestId), false, 'nor at the organizer');
      assert.equal(await audioRising(bob, 'alice'), true, 'the organizer is still heard');

      // A screen share is seen large by the others.
      await alice.getByRole('button', { name: 'Share screen' }).click();
      await videoPlays(bob, 'alice', 'screen-alice');
      await videoPlays(guest, 'alice', 'screen-alice');

      // Lock: a new joiner is refused and told why.
      await alice.getByRole('button', { name: 'Lock' }).click();
      await alice.getByRole('button', { name: 'Unlock' }).waitFor({ timeout: UI_TIMEOUT_MS });
      const late = await openPage(browser);
      pages.push(late);
      await signedIn(late.page, fe.url, CAROL);
      await late.page.goto(link);
      await late.page.getByTestId('meeting-refused').waitFor({ timeout: UI_TIMEOUT_MS });
      assert.match(await late.page.getByTestId('meeting-notice').innerText(), /the meeting is locked/i);

      // The Front End restarts: clients reconnect and rejoin, roster and roles intact, media goes on.
      const framesBefore = (await statsOf(bob))['alice']?.framesDecoded ?? 0;
      await fe.restart();
      await waitFor('bob decoding alice across the restart', async () => (((await statsOf(bob))['alice']?.framesDecoded ?? 0) > framesBefore + 20 ? true : undefined), MEDIA_TIMEOUT_MS);
      for (const page of [alice, bob, guest]) await page.locator('[data-testid="meeting-stage"][data-joins="2"]').waitFor({ timeout: MEDIA_TIMEOUT_MS });
      await alice.locator('[data-testid="participant-bob"]').waitFor({ timeout: MEDIA_TIMEOUT_MS });
      await bob.locator('[data-testid="participant-alice"][data-role="organizer"]').waitFor({ timeout: MEDIA_TIMEOUT_MS });
      await videoPlays(guest, 'bob');

      // Eject: bob is removed and told so.
      await alice.getByRole('button', { name: 'Remove Bob Builder' }).click();
      await bob.getByTestId('meeting-ended').waitFor({ timeout: UI_TIMEOUT_MS });
      assert.match(await bob.getByTestId('meeting-notice').innerText(), /removed/i);
      await alice.locator('[data-testid="participant-bob"]').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    });
  });
});
