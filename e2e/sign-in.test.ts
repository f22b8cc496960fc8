/**
 * Sign-in in a real browser against the real Front End: the web client signs in over HTTP, opens
 * SIP over WebSocket with the token and REGISTERs; wrong passwords are explained; a Front End
 * restart shows "Connection lost" and the client re-registers on its own.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { signedIn, signIn, UI_TIMEOUT_MS, waitForRegistered, waitForState } from './fixtures/app';
import { newTab, screenshot, withPage, withPages } from './fixtures/browser';
import { waitFor } from './fixtures/ports';
import type { FrontEndProcess } from './fixtures/server';
import { ADMIN, ALICE, startBrowserSuite, stopBrowserSuite } from './fixtures/suite';

/** Reconnect: the server restarts (a few seconds) and the client's backoff must find it. */
const RECONNECT_TIMEOUT_MS = 45_000;

describe('sign-in (browser)', () => {
  let fe: FrontEndProcess;
  let browser: Browser;
  let adminToken: string;

  before(async () => {
    ({ fe, browser } = await startBrowserSuite([ALICE, ADMIN]));
    const res = await fetch(`${fe.url}/api/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: ADMIN.name, password: ADMIN.password }),
    });
    assert.equal(res.status, 200, 'admin can log in over HTTP');
    adminToken = ((await res.json()) as { token: string }).token;
  });

  after(() => stopBrowserSuite({ fe, browser }));

  /** The Registrar's view of alice's bindings (proves the REGISTER reached the server). */
  async function aliceBindings(): Promise<number> {
    const res = await fetch(`${fe.url}/api/admin/registrations`, { headers: { authorization: `Bearer ${adminToken}` } });
    const body = (await res.json()) as { registrations: { user: string }[] };
    return body.registrations.filter((r) => r.user === 'alice').length;
  }

  test('sign in succeeds and shows the user; a reload stays signed in; sign out unregisters', async (t) => {
    await withPage(browser, t.name, () => fe.log, async ({ page, console }) => {
      await page.goto(fe.url);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: UI_TIMEOUT_MS });
      assert.equal(await page.title(), 'Sign in — OCS Web');
      await screenshot(page, 'sign-in');

      await signIn(page, fe.url, `sip:alice@${fe.domain}`, ALICE.password);
      await waitForRegistered(page);
      assert.equal(await page.getByTestId('display-name').textContent(), 'Alice Liddell');
      assert.equal(await page.getByTestId('sip-uri').textContent(), `sip:alice@${fe.domain}`);
      assert.equal(await page.getByTestId('user-name').textContent(), 'alice');
      await waitFor('alice registered', async () => ((await aliceBindings()) === 1 ? true : undefined), UI_TIMEOUT_MS);
      await screenshot(page, 'signed-in');

      // The token sits in sessionStorage (a reload stays signed in); no secret may reach the server log.
      const token = await page.evaluate(() => (JSON.parse(sessionStorage.getItem('ocs.session') ?? '{}') as { token?: string }).token);
      assert.ok(token && token.length > 20);
      assert.ok(!fe.log.includes(token), 'token not logged');
      assert.ok(!fe.log.includes(ALICE.password), 'password not logged');

      await page.reload();
      await waitForRegistered(page);
      await waitFor('one binding after reload', async () => ((await aliceBindings()) === 1 ? true : undefined), UI_TIMEOUT_MS);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: UI_TIMEOUT_MS });
      await waitFor('alice unregistered', async () => ((await aliceBindings()) === 0 ? true : undefined), UI_TIMEOUT_MS);
      assert.ok(!console.some((l) => l.startsWith('[pageerror]')), console.join('\n'));
      // The CSP must not have blocked anything the client needs.
      assert.ok(!console.some((l) => /Content Security Policy/i.test(l)), console.join('\n'));
    });
  });

  test('a duplicated tab (a copy of its sessionStorage) becomes its own endpoint: both stay registered', async (t) => {
    await withPages(browser, t.name, () => fe.log, 1, async (pages) => {
      const first = pages[0]!.page;
      await signedIn(first, fe.url, ALICE);
      await waitFor('alice registered once', async () => ((await aliceBindings()) === 1 ? true : undefined), UI_TIMEOUT_MS);
      // What the browser's "Duplicate tab" does: the new tab starts with the original's sessionStorage.
      const storage = await first.evaluate(() => JSON.stringify(Object.entries(sessionStorage)));
      const copy = await newTab(pages[0]!.context);
      pages.push(copy);
      await copy.page.addInitScript((entries: string) => {
        if (sessionStorage.length === 0) for (const [k, v] of JSON.parse(entries) as [string, string][]) sessionStorage.setItem(k, v);
      }, storage);
      await copy.page.goto(fe.url);
      await waitForRegistered(copy.page);
      const ids = await Promise.all([first, copy.page].map((p) => p.evaluate(() => sessionStorage.getItem('ocs.instanceId'))));
      assert.ok(ids[0] && ids[1] && ids[0] !== ids[1], `distinct endpoint ids: ${ids.join(' / ')}`);
      await waitFor('two bindings', async () => ((await aliceBindings()) === 2 ? true : undefined), UI_TIMEOUT_MS);
      await copy.page.reload();
      await waitForRegistered(copy.page);
      assert.equal(await copy.page.evaluate(() => sessionStorage.getItem('ocs.instanceId')), ids[1], 'a reload keeps the id it claimed');
      await waitFor('still two bindings', async () => ((await aliceBindings()) === 2 ? true : undefined), UI_TIMEOUT_MS);
      await waitForRegistered(first);
    });
  });

  test('a wrong password shows the error and keeps the user on the sign-in page', async (t) => {
    await withPage(browser, t.name, () => fe.log, async ({ page }) => {
      await signIn(page, fe.url, 'alice', 'not-the-password');
      const error = page.getByTestId('sign-in-error');
      await error.waitFor({ timeout: UI_TIMEOUT_MS });
      assert.equal((await error.textContent())?.trim(), 'The user name or password is incorrect.');
      assert.equal(await error.getAttribute('role'), 'alert');
      assert.equal(await page.getByLabel('Password').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.getByLabel('Password').inputValue(), '');
      await screenshot(page, 'sign-in-wrong-password');
      assert.equal(await page.getByTestId('me-card').count(), 0);
    });
  });

  test('a stored token the server no longer accepts ends the session with a notice', async (t) => {
    await withPage(browser, t.name, () => fe.log, async ({ page }) => {
      await signIn(page, fe.url, 'alice', ALICE.password);
      await waitForRegistered(page);
      await page.evaluate(() => {
        const session = JSON.parse(sessionStorage.getItem('ocs.session') ?? '{}') as { token: string };
        sessionStorage.setItem('ocs.session', JSON.stringify({ ...session, token: `${session.token.slice(0, -6)}AAAAAA` }));
      });
      await page.reload();
      const notice = page.getByTestId('sign-in-notice');
      await notice.waitFor({ timeout: UI_TIMEOUT_MS });
      assert.equal((await notice.textContent())?.trim(), 'Your session has expired. Sign in again.');
      await screenshot(page, 'session-expired');
      assert.equal(await page.evaluate(() => sessionStorage.getItem('ocs.session')), null);
    });
  });

  test('server unreachable at sign-in: the page says so, and signing in works once it is back', async (t) => {
    await withPage(browser, t.name, () => fe.log, async ({ page }) => {
      await page.goto(fe.url);
      await page.getByLabel('Sign-in address').waitFor({ timeout: UI_TIMEOUT_MS });
      await fe.stop();
      try {
        await page.getByLabel('Sign-in address').fill('alice');
        await page.getByLabel('Password').fill(ALICE.password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        const error = page.getByTestId('sign-in-error');
        await error.waitFor({ timeout: UI_TIMEOUT_MS });
        assert.match((await error.textContent()) ?? '', /^Can't reach the server/);
      } finally {
        await fe.start();
      }
      await page.getByRole('button', { name: 'Sign in' }).click();
      await waitForRegistered(page);
    });
  });

  test('server stopped: "Connection lost" banner; server back: signed in again (re-registered)', async (t) => {
    await withPage(browser, t.name, () => fe.log, async ({ page }) => {
      await signIn(page, fe.url, 'alice', ALICE.password);
      await waitForRegistered(page);
      assert.equal(await page.getByTestId('connection-banner').count(), 0);

      await fe.stop();
      const banner = page.getByTestId('connection-banner');
      await banner.waitFor({ timeout: UI_TIMEOUT_MS });
      assert.equal((await banner.textContent())?.trim(), 'Connection lost — reconnecting…');
      await waitForState(page, 'Reconnecting');
      await screenshot(page, 'connection-lost');

      await fe.start();
      await waitForRegistered(page, RECONNECT_TIMEOUT_MS);
      await banner.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
      await waitFor('alice re-registered', async () => ((await aliceBindings()) >= 1 ? true : undefined), UI_TIMEOUT_MS);
    });
  });
});
