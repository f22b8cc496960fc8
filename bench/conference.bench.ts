/**
 * Meeting join time (`npm run bench -- conference`): the real Front End, a real AV MCU and
 * Chromium pages with fake camera and microphone. Participants join one meeting one after the
 * other by opening its join link; for the k-th (k = 2 .. 10) we measure from the start of that
 * navigation (the click on the link) to the first decoded frame of a remote video in that page:
 * page load, sign-in restore, SIP registration, the join INVITE to the Focus, media activation on
 * the MCU, mediasoup transports, and the first keyframe. The figure per k shows how joining grows
 * with the meeting's size (every earlier participant keeps sending and receiving meanwhile).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { signedIn } from '../e2e/fixtures/app';
import { launchBrowser, openPage } from '../e2e/fixtures/browser';
import { ensureBuilt } from '../e2e/fixtures/build';
import { FrontEndProcess } from '../e2e/fixtures/server';
import { spawnMcu, type SpawnedMcu } from '../mcu/spawn';
import { workerMissingReason } from '../mcu/media/workerBin';

export interface Figure {
  name: string;
  value: number;
  unit: string;
}

const MAX_PARTICIPANTS = Number(process.env.OCS_BENCH_MEETING_SIZE ?? 10);
const JOIN_DEADLINE_MS = 90_000;

function mcuSecretOf(dataDir: string): string {
  const db = new Database(join(dataDir, 'ocs.sqlite'), { readonly: true });
  try {
    const row = db.prepare("SELECT value FROM settings WHERE key = 'mcu-secret'").get() as { value: string };
    return Buffer.from(row.value, 'base64').toString('base64url');
  } finally {
    db.close();
  }
}

/**
 * Milliseconds from navigation start to the first decoded remote video frame in `page`. Written as
 * page source (not a function) because tsx's name helpers do not exist in the page.
 */
function firstRemoteFrameMs(page: Page): Promise<number> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const started = performance.now();
    const poll = async () => {
      const stats = globalThis.ocsMeetingStats ? await globalThis.ocsMeetingStats() : undefined;
      if (stats && Object.values(stats).some((s) => s.framesDecoded > 0)) return resolve(performance.now());
      if (performance.now() - started > ${JOIN_DEADLINE_MS}) return reject(new Error('no remote frame'));
      setTimeout(poll, 10);
    };
    poll();
  })`) as Promise<number>;
}

export async function benchConference(): Promise<Figure[]> {
  const missing = workerMissingReason();
  if (missing) throw new Error(missing);
  await ensureBuilt();
  const fe = await FrontEndProcess.launch();
  let mcu: SpawnedMcu | undefined;
  let browser: Browser | undefined;
  const figures: Figure[] = [];
  try {
    const users = Array.from({ length: MAX_PARTICIPANTS }, (_, i) => ({ name: `user${i}`, password: `Bench-pass-${i}-42` }));
    for (const u of users) fe.addUser(u);
    mcu = await spawnMcu({ env: { secret: mcuSecretOf(fe.dataDir), factoryUrl: `${fe.url}/mcu-factory`, host: '127.0.0.1', port: 0, loadIntervalMs: 1_000, logLevel: 'warn' }, stderr: 'ignore' });
    browser = await launchBrowser();

    // The organizer starts the meeting (Meet now) and is its first participant.
    const organizer = (await openPage(browser)).page;
    await signedIn(organizer, fe.url, users[0]!);
    await organizer.getByTestId('rail-meetings').click();
    await organizer.getByTestId('meet-now').click();
    const stage = organizer.getByTestId('meeting-stage');
    await stage.waitFor({ timeout: 30_000 });
    const id = /focus:id:([a-z0-9]+)/.exec((await stage.getAttribute('data-conference-uri')) ?? '')![1]!;
    const link = `${fe.url}/join/${id}`;

    const times: number[] = [];
    for (let k = 2; k <= MAX_PARTICIPANTS; k++) {
      try {
        const page = (await openPage(browser)).page;
        await signedIn(page, fe.url, users[k - 1]!); // signed in beforehand, as a colleague would be
        await page.goto(link);
        const ms = await firstRemoteFrameMs(page);
        times.push(ms);
        figures.push({ name: `join to first remote frame, ${k} participants`, value: ms, unit: 'ms' });
        process.stderr.write(`  participant ${k}: ${Math.round(ms)} ms\n`);
      } catch (err) {
        // Every participant is a Chromium page on this machine: past some size the browsers, not the
        // server, run out of CPU. Report how far it got instead of nothing.
        process.stderr.write(`  participant ${k} could not join: ${(err as Error).message.split('\n')[0]}\n`);
        figures.push({ name: 'largest meeting joined on this machine', value: k - 1, unit: 'participants' });
        break;
      }
    }
    if (times.length > 1) {
      figures.push({ name: `join time growth per participant (2..${MAX_PARTICIPANTS}, least squares)`, value: slope(times), unit: 'ms/participant' });
    }
    return figures;
  } finally {
    await browser?.close();
    await mcu?.stop();
    await fe.close();
  }
}

function slope(ys: number[]): number {
  const xs = ys.map((_, i) => i + 2);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const num = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0);
  const den = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of await benchConference()) process.stdout.write(`${f.name}: ${f.value.toFixed(0)} ${f.unit}\n`);
}
