/**
 * The admin settings page in a real browser: an administrator lists, searches and adds users,
 * resets a password, disables and re-enables sign-in, grants the admin role, sees signed-in
 * endpoints and server health; a normal user sees no admin entry and the API refuses them (403).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { signedIn, UI_TIMEOUT_MS, unnamedControls } from './fixtures/app';
import { screenshot, withPage } from './fixtures/browser';
import type { FrontEndProcess } from './fixtures/server';
import { ADMIN, ALICE, startBrowserSuite, stopBrowserSuite } from './fixtures/suite';


async function login(fe: FrontEndProcess, user: { name: string; password: string }): Promise<Response> {
  return fetch(`${fe.url}/api/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: user.name, password: user.password }),
  });
}

async function userAction(page: Page, user: string, action: string): Promise<void> {
  await page.locator(`[data-testid="admin-user-row"][data-user="${user}"]`).getByTestId('admin-user-actions').click();
  await page.getByRole('menuitem', { name: action }).click();
}

describe('admin page (browser)', () => {
  let fe: FrontEndProcess;
  let browser: Browser;

  before(async () => ({ fe, browser } = await startBrowserSuite([ADMIN, ALICE])));
  after(() => stopBrowserSuite({ fe, browser }));

  test('a normal user has no admin entry, and the admin API answers 403', async (t) => {
    await withPage(browser, t.name, () => fe.log, async ({ page }) => {
      await signedIn(page, fe.url, ALICE);
      assert.equal(await page.getByTestId('rail-admin').count(), 0, 'no Admin on the rail');
      const status = await page.evaluate(async () => {
        const token = (JSON.parse(sessionStorage.getItem('ocs.session') ?? '{}') as { token: string }).token;
        const paths = ['/api/admin/users', '/api/admin/registrations', '/api/admin/health'];
        return Promise.all(paths.map(async (p) => (await fetch(p, { headers: { authorization: `Bearer ${token}` } })).status));
      });
      assert.deepEqual(status, [403, 403, 403]);
    });
  });

  test('an administrator manages users and sees endpoints and health', async (t) => {
    await withPage(browser, t.name, () => fe.log, async ({ page, console }) => {
      await signedIn(page, fe.url, ADMIN);
      await page.getByTestId('rail-admin').click();
      await page.getByTestId('admin-page').waitFor({ timeout: UI_TIMEOUT_MS });
      const rows = page.getByTestId('admin-user-row');
      await rows.filter({ hasText: 'Alice Liddell' }).waitFor({ timeout: UI_TIMEOUT_MS });
      assert.equal(await rows.count(), 2);

      // Add a user, then find them by search.
      await page.getByTestId('admin-add-user').click();
      const dialog = page.getByTestId('add-user-dialog');
      await dialog.getByLabel('User name').fill('carol');
      await dialog.getByLabel('Display name').fill('Carol Danvers');
      await dialog.getByLabel('Initial password').fill('short');
      await dialog.getByRole('button', { name: 'Add user' }).click();
      await dialog.getByText('at least 8 characters', { exact: false }).first().waitFor({ timeout: UI_TIMEOUT_MS });
      await screenshot(page, 'admin-add-user');
      await dialog.getByLabel('Initial password').fill('Carol-pass-42');
      await dialog.getByRole('button', { name: 'Add user' }).click();
      await page.getByTestId('admin-notice').filter({ hasText: 'Carol Danvers was added' }).waitFor({ timeout: UI_TIMEOUT_MS });
      await page.getByTestId('admin-user-search').fill('carol');
      await page.locator('[data-testid="admin-user-row"]').first().filter({ hasText: 'Carol Danvers' }).waitFor({ timeout: UI_TIMEOUT_MS });
      await rows.nth(1).waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
      assert.equal((await login(fe, { name: 'carol', password: 'Carol-pass-42' })).status, 200, 'the new user can sign in');

      // Reset her password, disable and re-enable her, make her an administrator.
      await userAction(page, 'carol', 'Reset password…');
      const reset = page.getByTestId('reset-password-dialog');
      await reset.getByLabel('New password').fill('Carol-new-pass-42');
      await reset.getByRole('button', { name: 'Reset password' }).click();
      await page.getByTestId('admin-notice').filter({ hasText: 'password of Carol Danvers was reset' }).waitFor({ timeout: UI_TIMEOUT_MS });
      assert.equal((await login(fe, { name: 'carol', password: 'Carol-new-pass-42' })).status, 200);

      await userAction(page, 'carol', 'Disable sign-in');
      await page.locator('[data-user="carol"]').getByText('Disabled').waitFor({ timeout: UI_TIMEOUT_MS });
      assert.equal((await login(fe, { name: 'carol', password: 'Carol-new-pass-42' })).status, 401, 'disabled users cannot sign in');
      await userAction(page, 'carol', 'Enable sign-in');
      await page.locator('[data-user="carol"]').getByText('Active').waitFor({ timeout: UI_TIMEOUT_MS });
      await userAction(page, 'carol', 'Make administrator');
      await page.locator('[data-user="carol"]').getByText('Administrator').waitFor({ timeout: UI_TIMEOUT_MS });

      await page.getByTestId('admin-user-search').fill('');
      await rows.nth(2).waitFor({ timeout: UI_TIMEOUT_MS });
      await screenshot(page, 'admin-users');
      assert.deepEqual(await unnamedControls(page), []);

      // Signed-in endpoints: the admin's own tab is one.
      await page.getByRole('tab', { name: 'Signed-in endpoints' }).click();
      await page.locator('[data-testid="admin-registration-row"][data-user="opsadmin"]').waitFor({ timeout: UI_TIMEOUT_MS });
      await screenshot(page, 'admin-endpoints');

      await page.getByRole('tab', { name: 'Server health' }).click();
      await page.getByTestId('admin-health-status').filter({ hasText: 'Running' }).waitFor({ timeout: UI_TIMEOUT_MS });
      await screenshot(page, 'admin-health');
      assert.ok(!console.some((l) => l.startsWith('[pageerror]')), console.join('\n'));
    });
  });
});
