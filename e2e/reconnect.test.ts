/**
 * A Front End restart while two people are signed in: both clients re-register on their own,
 * the open conversation (and its history) is still there, messages flow again, and presence is
 * subscribed again (a status change after the restart reaches the contact).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { signedIn, startChat, UI_TIMEOUT_MS, waitForRegistered, waitForState } from './fixtures/app';
import { screenshot, withPages } from './fixtures/browser';
import type { FrontEndProcess } from './fixtures/server';
import { ALICE, BOB, startBrowserSuite, stopBrowserSuite } from './fixtures/suite';

const RECONNECT_TIMEOUT_MS = 45_000;

async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer').fill(text);
  await page.getByTestId('composer').press('Enter');
  await page.locator('[data-testid="message-out"][data-status="sent"]').filter({ hasText: text }).waitFor({ timeout: UI_TIMEOUT_MS });
}

describe('reconnect (browser)', () => {
  let fe: FrontEndProcess;
  let browser: Browser;

  before(async () => ({ fe, browser } = await startBrowserSuite([ALICE, BOB])));
  after(() => stopBrowserSuite({ fe, browser }));

  test('after a server restart: re-registered, conversation kept, IM and presence work again', async (t) => {
    await withPages(browser, t.name, () => fe.log, 2, async (pages) => {
      const alice = pages[0]!.page;
      const bob = pages[1]!.page;
      await signedIn(alice, fe.url, ALICE);
      await signedIn(bob, fe.url, BOB);

      // Alice has Bob as a contact and a conversation with him open.
      await alice.getByTestId('contact-search').fill('bob');
      await alice.locator('[data-testid="directory-result"][data-uri="sip:bob@e2e.test"]').getByRole('button', { name: /^Add / }).click();
      await alice.getByTestId('contact-search').fill('');
      const bobStatus = alice.locator('[data-testid="contact"][data-uri="sip:bob@e2e.test"] [data-testid="contact-status"]');
      await bobStatus.filter({ hasText: 'Available' }).waitFor({ timeout: UI_TIMEOUT_MS });
      await startChat(alice, 'bob');
      await send(alice, 'Before the restart');

      await fe.restart();
      await waitForState(alice, 'Reconnecting').catch(() => undefined); // may already be back
      await waitForRegistered(alice, RECONNECT_TIMEOUT_MS);
      await waitForRegistered(bob, RECONNECT_TIMEOUT_MS);

      // The conversation and its history survived; a new message goes through.
      assert.equal(await alice.getByTestId('conversation').getAttribute('data-uri'), 'sip:bob@e2e.test');
      await alice.getByTestId('message-out').filter({ hasText: 'Before the restart' }).waitFor({ timeout: UI_TIMEOUT_MS });
      await send(alice, 'After the restart');
      await bob.getByTestId('rail-chat').click();
      await bob.getByTestId('chat-item').filter({ hasText: 'After the restart' }).waitFor({ timeout: UI_TIMEOUT_MS });

      // Presence was subscribed again: Bob's new status reaches Alice.
      await bob.getByTestId('my-status').click();
      await bob.getByRole('menuitemradio', { name: 'Be right back' }).click();
      await alice.getByTestId('rail-contacts').click();
      await bobStatus.filter({ hasText: 'Be right back' }).waitFor({ timeout: RECONNECT_TIMEOUT_MS });
      await screenshot(alice, 'reconnected');
    });
  });
});
