/**
 * IM in real browsers against the real Front End: a conversation both ways, the typing indicator
 * (RFC 3994), unread counts, delivery to every signed-in tab of the recipient, and what one tab
 * sends shown in the sender's other tabs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { signedIn, startChat, UI_TIMEOUT_MS, unnamedControls } from './fixtures/app';
import { newTab, screenshot, withPages } from './fixtures/browser';
import type { FrontEndProcess } from './fixtures/server';
import { ALICE, BOB, startBrowserSuite, stopBrowserSuite } from './fixtures/suite';


describe('instant messaging (browser)', () => {
  let fe: FrontEndProcess;
  let browser: Browser;

  before(async () => ({ fe, browser } = await startBrowserSuite([ALICE, BOB])));
  after(() => stopBrowserSuite({ fe, browser }));

  test('alice and bob chat both ways; both of bob\'s tabs get the message; typing and unread shown', async (t) => {
    await withPages(browser, t.name, () => fe.log, 2, async (pages) => {
      const [alice, bob] = pages.map((p) => p.page) as [typeof pages[0]['page'], typeof pages[0]['page']];
      const bobTab2 = await newTab(pages[1]!.context);
      pages.push(bobTab2);
      // Bob's second tab is in the background and has allowed notifications: record what it shows.
      await bobTab2.page.addInitScript(`
        Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' });
        window.__notifications = [];
        window.Notification = class { constructor(title, options) { window.__notifications.push({ title, body: options && options.body }); } static permission = 'granted'; static requestPermission() { return Promise.resolve('granted'); } close() {} };
      `);
      await signedIn(alice, fe.url, ALICE);
      await signedIn(bob, fe.url, BOB);
      await signedIn(bobTab2.page, fe.url, BOB);

      // Alice writes first.
      await startChat(alice, 'bob');
      assert.equal(await alice.getByTestId('conversation-name').textContent(), 'bob');
      await alice.getByTestId('composer').fill('Hello Bob! Lunch at 12?');
      await alice.getByTestId('composer').press('Enter');
      await alice.getByTestId('message-out').filter({ hasText: 'Hello Bob! Lunch at 12?' }).and(alice.locator('[data-status="sent"]'))
        .waitFor({ timeout: UI_TIMEOUT_MS });

      // Both of Bob's tabs list the conversation with one unread message, named from the SIP From.
      for (const page of [bob, bobTab2.page]) {
        await page.getByTestId('chat-unread-total').waitFor({ timeout: UI_TIMEOUT_MS });
        await page.getByTestId('rail-chat').click();
        const item = page.getByTestId('chat-item').filter({ hasText: 'Alice Liddell' });
        await item.waitFor({ timeout: UI_TIMEOUT_MS });
        assert.equal((await item.getByTestId('unread-count').innerText()).trim().split('\n')[0], '1');
        assert.match(await page.getByTestId('chat-unread-total').innerText(), /^1/);
      }
      await screenshot(bob, 'im-unread');
      const shown = await bobTab2.page.evaluate('window.__notifications') as { title: string; body: string }[];
      assert.deepEqual(shown, [{ title: 'Alice Liddell', body: 'Hello Bob! Lunch at 12?' }], 'a hidden tab shows a browser notification');

      // Bob reads it (the count clears) and starts typing: Alice sees the indicator.
      await bob.getByTestId('chat-item').filter({ hasText: 'Alice Liddell' }).click();
      await bob.getByTestId('message-in').filter({ hasText: 'Hello Bob! Lunch at 12?' }).waitFor({ timeout: UI_TIMEOUT_MS });
      assert.equal(await bob.getByTestId('unread-count').count(), 0);
      await bob.getByTestId('composer').pressSequentially('Sure, see you', { delay: 20 });
      await alice.getByTestId('typing-indicator').filter({ hasText: 'is typing' }).waitFor({ timeout: UI_TIMEOUT_MS });
      await screenshot(alice, 'im-typing');

      // Bob's reply arrives and ends the typing state (RFC 3994 §3.3).
      await bob.getByTestId('composer').press('Enter');
      await alice.getByTestId('message-in').filter({ hasText: 'Sure, see you' }).waitFor({ timeout: UI_TIMEOUT_MS });
      await alice.getByTestId('typing-indicator').filter({ hasText: 'is typing' }).waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
      assert.equal(await alice.getByTestId('conversation-name').textContent(), 'Bob Builder', 'name learned from the reply');
      await screenshot(alice, 'im-conversation');
      assert.deepEqual(await unnamedControls(alice), []);

      for (const tp of pages) {
        assert.ok(!tp.console.some((l) => l.startsWith('[pageerror]')), tp.console.join('\n'));
      }
    });
  });

  test("what alice sends from one tab shows as sent in her other tab, not as unread", async (t) => {
    await withPages(browser, t.name, () => fe.log, 2, async (pages) => {
      const [alice, bob] = pages.map((p) => p.page) as [typeof pages[0]['page'], typeof pages[0]['page']];
      const aliceTab2 = await newTab(pages[0]!.context);
      pages.push(aliceTab2);
      await signedIn(alice, fe.url, ALICE);
      await signedIn(aliceTab2.page, fe.url, ALICE);
      await signedIn(bob, fe.url, BOB);
      await startChat(alice, 'bob');
      await alice.getByTestId('composer').fill('Sent from my first tab');
      await alice.getByTestId('composer').press('Enter');
      await alice.getByTestId('message-out').filter({ hasText: 'Sent from my first tab' }).and(alice.locator('[data-status="sent"]'))
        .waitFor({ timeout: UI_TIMEOUT_MS });

      const other = aliceTab2.page;
      await other.getByTestId('rail-chat').click();
      const item = other.getByTestId('chat-item').filter({ hasText: 'bob' });
      await item.waitFor({ timeout: UI_TIMEOUT_MS });
      assert.equal(await item.getByTestId('unread-count').count(), 0, 'our own message is not unread');
      await item.click();
      await other.getByTestId('message-out').filter({ hasText: 'Sent from my first tab' }).and(other.locator('[data-status="sent"]'))
        .waitFor({ timeout: UI_TIMEOUT_MS });
      assert.equal(await other.getByTestId('message-in').count(), 0);
      await screenshot(other, 'im-sent-copy');
      await bob.getByTestId('chat-unread-total').waitFor({ timeout: UI_TIMEOUT_MS });
      for (const tp of pages) assert.ok(!tp.console.some((l) => l.startsWith('[pageerror]')), tp.console.join('\n'));
    });
  });

  test('a message to someone who is not signed in is marked as not delivered', async (t) => {
    await withPages(browser, t.name, () => fe.log, 1, async ([tp]) => {
      const alice = tp!.page;
      await signedIn(alice, fe.url, ALICE);
      await startChat(alice, 'bob');
      await alice.getByTestId('composer').fill('Are you there?');
      await alice.getByTestId('send').click();
      const failed = alice.locator('[data-testid="message-out"][data-status="failed"]');
      await failed.waitFor({ timeout: UI_TIMEOUT_MS });
      assert.match(await failed.innerText(), /not delivered/i);
    });
  });

  test('on a phone-sized screen the list and the conversation take the screen in turn; sign-out forgets them', async (t) => {
    await withPages(browser, t.name, () => fe.log, 1, async ([tp]) => {
      const alice = tp!.page;
      await alice.setViewportSize({ width: 390, height: 844 });
      await signedIn(alice, fe.url, ALICE);
      await screenshot(alice, 'narrow-contacts');
      await startChat(alice, 'bob');
      assert.equal(await alice.getByTestId('me-card').isVisible(), false, 'the list is hidden while a conversation is open');
      await alice.getByTestId('composer').fill('Hello from a phone');
      await screenshot(alice, 'narrow-conversation');
      await alice.getByRole('button', { name: 'Back to chats' }).click();
      await alice.getByTestId('chat-item').waitFor({ timeout: UI_TIMEOUT_MS });
      await alice.getByTestId('chat-item').click();
      await alice.getByTestId('rail-contacts').click();
      await alice.getByTestId('contact-search').waitFor({ timeout: UI_TIMEOUT_MS });

      // Signing out forgets the conversations kept for reloads.
      await alice.getByRole('button', { name: 'Sign out' }).click();
      await signedIn(alice, fe.url, ALICE);
      await alice.getByTestId('rail-chat').click();
      await alice.getByText('No conversations yet.').waitFor({ timeout: UI_TIMEOUT_MS });
    });
  });
});
