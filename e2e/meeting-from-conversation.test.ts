/**
 * "Meet now" from a 1:1 conversation (issue 7) in real browsers through the real Front End with its
 * AV MCU: alice opens a conversation with bob and starts a meeting from its header; she lands on the
 * meeting stage, bob gets the join link by IM, follows it, and both are in each other's roster.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { signedIn, startChat, UI_TIMEOUT_MS } from './fixtures/app';
import { screenshot, withPages } from './fixtures/browser';
import type { FrontEndProcess } from './fixtures/server';
import { ALICE, BOB, startBrowserSuite, stopBrowserSuite } from './fixtures/suite';
import { workerMissingReason } from '../mcu/media/workerBin';

const MEETING_TIMEOUT_MS = 30_000;

describe('meeting from a conversation (browsers + MCU)', { skip: workerMissingReason() }, () => {
  let fe: FrontEndProcess;
  let browser: Browser;

  before(async () => ({ fe, browser } = await startBrowserSuite([ALICE, BOB], { mcu: true })));
  after(() => stopBrowserSuite({ fe, browser }));

  test('Meet now in the conversation header: alice on the stage, bob joins by the IM link, both in the roster', { timeout: 90_000 }, async (t) => {
    await withPages(browser, t.name, () => fe.log, 2, async (pages) => {
      const [alice, bob] = pages.map((p) => p.page) as [Page, Page];
      await signedIn(alice, fe.url, ALICE);
      await signedIn(bob, fe.url, BOB);

      await startChat(alice, 'bob');
      const meetNow = alice.getByRole('button', { name: /^Start a meeting with / });
      assert.equal(await meetNow.getAttribute('data-testid'), 'conversation-meet-now');
      await screenshot(alice, 'meeting-from-conversation-header');
      await meetNow.click();
      const stage = alice.getByTestId('meeting-stage');
      await stage.waitFor({ timeout: MEETING_TIMEOUT_MS });
      const id = /focus:id:([a-z0-9]+)/.exec((await stage.getAttribute('data-conference-uri'))!)![1]!;

      // Bob's IM carries the join link of that very meeting.
      await bob.getByTestId('rail-chat').click();
      await bob.getByTestId('chat-item').filter({ hasText: 'Alice Liddell' }).click();
      const link = bob.getByTestId('message-in').locator(`a[href$="/join/${id}"]`);
      await link.waitFor({ timeout: UI_TIMEOUT_MS });
      await bob.goto((await link.getAttribute('href'))!);
      await bob.getByTestId('meeting-stage').waitFor({ timeout: MEETING_TIMEOUT_MS });

      for (const page of [alice, bob]) {
        for (const user of ['alice', 'bob']) await page.getByTestId(`participant-${user}`).waitFor({ timeout: MEETING_TIMEOUT_MS });
      }
      await alice.locator('[data-testid="participant-alice"][data-role="organizer"]').waitFor({ timeout: UI_TIMEOUT_MS });
      await screenshot(alice, 'meeting-from-conversation');
    });
  });
});
