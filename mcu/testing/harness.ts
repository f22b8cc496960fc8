/**
 * Test helpers for the MCU's integration tests: an in-process MCU on free ports, its HTTP API
 * with the bearer secret, the test page (bundled with esbuild, served from 127.0.0.1 so
 * getUserMedia has a secure context) and Debian's Chromium with fake devices.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startMcu, type McuHandle } from '../app';
import { loadMcuConfig, type McuConfig } from '../config';
import { createMcuLog } from '../log';
import type { AddUserReply } from '../../shared/mcu/http';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];

export interface TestMcu extends McuHandle {
  secret: string;
  api<T = unknown>(method: string, path: string, body?: unknown, auth?: string | null): Promise<{ status: number; body: T }>;
  addUser(conferenceId: string, userId: string, ttlSeconds?: number): Promise<AddUserReply>;
}

export async function startTestMcu(overrides: Partial<McuConfig> = {}): Promise<TestMcu> {
  const secret = randomBytes(24).toString('base64url');
  const config: McuConfig = { ...loadMcuConfig({ MCU_SECRET: secret, MCU_PORT: '0', MCU_WORKERS: '2' }), ...overrides };
  const mcu = await startMcu(config, createMcuLog(process.env.MCU_TEST_LOG === '1' ? 'debug' : 'silent'));
  const api = async <T>(method: string, path: string, body?: unknown, auth: string | null = secret) => {
    const res = await fetch(mcu.apiUrl + path, {
      method,
      headers: {
        ...(auth !== null ? { authorization: `Bearer ${auth}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const addUser = async (conferenceId: string, userId: string, ttlSeconds?: number) => {
    const res = await api<AddUserReply>('POST', `/v1/conferences/${conferenceId}/users`, { userId, ...(ttlSeconds ? { ttlSeconds } : {}) });
    if (res.status !== 201 && res.status !== 200) throw new Error(`add user failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  return Object.assign(mcu, { secret, api, addUser });
}

let bundle: Promise<string> | undefined;

/** The test page's script, bundled once per process. */
export function testPageBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [fileURLToPath(new URL('./page/entry.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome110',
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0]!.text);
  return bundle;
}

/** Serves the test page on http://127.0.0.1:<free port>/. */
export async function serveTestPage(): Promise<{ url: string; close(): Promise<void> }> {
  const script = await testPageBundle();
  const server: Server = createServer((req, res) => {
    if (req.url === '/page.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><meta charset="utf-8"><title>mcu test</title><script src="/page.js"></script>');
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** A page in its own context (fresh profile state), loaded and ready for `window.mcuTest`. */
export async function openTestPage(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => typeof window.mcuTest === 'object');
  return page;
}

/** Polls `probe` until `accept` holds or the deadline passes; returns the last value. */
export async function waitFor<T>(probe: () => Promise<T>, accept: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!accept(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
    last = await probe();
  }
  return last;
}
