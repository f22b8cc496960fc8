/**
 * Contacts and presence in real browsers: search the directory and add a contact, make a group and
 * drag the contact into it (the list roams to another tab), see a contact's status, note and
 * "In a call" change live, set an access level that blocks them from seeing you.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { signedIn, UI_TIMEOUT_MS, unnamedControls } from './fixtures/app';
import { newTab, screenshot, withPages } from './fixtures/browser';
import type { FrontEndProcess } from './fixtures/server';
import { ALICE, BOB, startBrowserSuite, stopBrowserSuite } from './fixtures/suite';


function contact(page: Page, user: string) {
  return page.locator(`[data-testid="contact"][data-uri="sip:${user}@e2e.test"]`);
}

async function statusOf(page: Page, user: string, text: string | RegExp): Promise<void> {
  await contact(page, user).getByTestId('contact-status').filter({ hasText: text }).waitFor({ timeout: UI_TIMEOUT_MS });
}

async function addContact(page: Page, query: string, user: string): Promise<void> {
  await page.getByTestId('rail-contacts').click();
  await page.getByTestId('contact-search').fill(query);
  await page.locator(`[data-testid="directory-result"][data-uri="sip:${user}@e2e.test"]`).getByRole('button', { name: /^Add / }).click();
  await page.getByTestId('contacts-notice').filter({ hasText: 'was added' }).waitFor({ timeout: UI_TIMEOUT_MS });
  await page.getByTestId('contact-search').fill('');
}

async function setMyStatus(page: Page, label: string): Promise<void> {
  await page.getByTestId('my-status').click();
  await page.getByRole('menuitemradio', { name: label }).click();
}

describe('contacts and presence (browser)', () => {
  let fe: FrontEndProcess;
  let browser: Browser;

  before(async () => ({ fe, browser } = await startBrowserSuite([ALICE, BOB])));
  after(() => stopBrowserSuite({ fe, browser }));

  test('add from the directory, group by drag and drop, live status, note, "In a call", blocking', async (t) => {
    await withPages(browser, t.name, () => fe.log, 2, async (pages) => {
      const alice = pages[0]!.page;
      const bob = pages[1]!.page;
      await signedIn(alice, fe.url, ALICE);
      await signedIn(bob, fe.url, BOB);

      // Alice finds Bob in the directory and adds him; his presence shows at once.
      await addContact(alice, 'build', 'bob');
      await alice.getByTestId('contact-group').filter({ hasText: 'Other Contacts' }).waitFor({ timeout: UI_TIMEOUT_MS });
      await statusOf(alice, 'bob', 'Available');

      // A new group, and Bob dragged into it.
      await alice.getByTestId('new-group').click();
      await alice.getByTestId('new-group-dialog').getByLabel('Group name').fill('Team');
      await alice.getByTestId('new-group-dialog').getByRole('button', { name: 'Create group' }).click();
      const team = alice.locator('[data-testid="contact-group"][data-group="Team"]');
      await team.waitFor({ timeout: UI_TIMEOUT_MS });
      await contact(alice, 'bob').dragTo(team);
      await team.locator('[data-testid="contact"][data-uri="sip:bob@e2e.test"]').waitFor({ timeout: UI_TIMEOUT_MS });

      // The list roams: another tab of Alice's gets the same groups.
      const aliceTab2 = await newTab(pages[0]!.context);
      pages.push(aliceTab2);
      await signedIn(aliceTab2.page, fe.url, ALICE);
      await aliceTab2.page.getByTestId('rail-contacts').click();
      await aliceTab2.page.locator('[data-testid="contact-group"][data-group="Team"] [data-testid="contact"]').waitFor({ timeout: UI_TIMEOUT_MS });
      await aliceTab2.context.pages()[1]?.close();

      // Bob's status and note reach Alice live.
      await setMyStatus(bob, 'Busy');
      await bob.getByTestId('my-status-label').filter({ hasText: 'Busy' }).waitFor({ timeout: UI_TIMEOUT_MS });
      await statusOf(alice, 'bob', 'Busy');
      await bob.getByTestId('my-note').fill('In the lab until 3');
      await bob.getByTestId('my-note').press('Enter');
      await statusOf(alice, 'bob', 'In the lab until 3');
      await screenshot(alice, 'contacts-presence');
      assert.deepEqual(await unnamedControls(alice), []);
      await setMyStatus(bob, 'Do not disturb');
      await statusOf(alice, 'bob', 'Do not disturb');
      await setMyStatus(bob, 'Appear offline');
      await statusOf(alice, 'bob', 'Offline');
      await bob.getByTestId('my-status').click();
      await bob.getByRole('menuitem', { name: 'Reset status' }).click();
      await statusOf(alice, 'bob', 'Available');

      // In a call: both show it (RTC Aggregate R5: Busy, "In a call").
      await contact(alice, 'bob').getByRole('button', { name: 'Call Bob Builder', exact: true }).click({ force: true });
      await bob.getByTestId('answer-audio').click();
      await bob.locator('[data-testid="call-stage"][data-phase="connected"]').waitFor({ timeout: UI_TIMEOUT_MS });
      await statusOf(alice, 'bob', 'In a call');
      await bob.getByTestId('hang-up').click();
      await statusOf(alice, 'bob', 'Available');

      // Bob adds Alice; Alice blocks Bob: he sees her Offline.
      await addContact(bob, 'alice', 'alice');
      await statusOf(bob, 'alice', 'Available');
      await contact(alice, 'bob').getByTestId('contact-menu').click({ force: true });
      await alice.getByRole('menuitemradio', { name: 'Access: Blocked Contacts' }).click();
      await statusOf(bob, 'alice', 'Offline');
      await screenshot(bob, 'contacts-blocked');

      for (const tp of pages) assert.ok(!tp.console.some((l) => l.startsWith('[pageerror]')), tp.console.join('\n'));
    });
  });
});
