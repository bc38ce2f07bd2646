/**
 * Candidates in the browser: on an exhibition where the host accepts each player, a visitor asks,
 * waits, and sits down once the host accepts in the console; another is declined and told so.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CreatedExhibition } from '../../shared/protocol.js';
import { openTabs, screenshots, type Tab } from './harness.js';

const server = { url: inject('simulUrl') };
let browser: Browser;
let host: Tab;
let ann: Tab;
let bob: Tab;
let created: CreatedExhibition;

beforeAll(async () => {
  ({ browser, tabs: [host, ann, bob] } = await openTabs(3));
  const res = await fetch(`${server.url}/api/exhibitions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'By invitation', boards: 2, approval: true }),
  });
  created = (await res.json()) as CreatedExhibition;
});

afterAll(async () => {
  await browser?.close();
});

describe('candidates in the browser', () => {
  it('visitors ask to join and wait; the console lists them live', async () => {
    await host.page.goto(`${server.url}/x/${created.id}/host#key=${created.hostKey}`);
    await expect.poll(() => host.page.getByTestId('candidates').textContent()).toMatch(/No one is waiting/);
    for (const [tab, name] of [[ann, 'Ann'], [bob, 'Bob']] as const) {
      await tab.page.goto(`${server.url}/x/${created.id}/play`);
      await tab.page.getByLabel('Your name').fill(name);
      await tab.page.getByRole('button', { name: 'Ask to join' }).click();
      await expect.poll(() => tab.page.getByTestId('candidate').textContent()).toBe(`Waiting for the host to accept you, ${name}…`);
    }
    await expect.poll(() => host.page.locator('.candidate').count()).toBe(2);
    await screenshots(host.page, 'candidates-console');
  });

  it('the host accepts one, who sits down at once, and declines the other, who is told', async () => {
    await host.page.getByRole('button', { name: 'Accept Ann' }).click();
    await expect.poll(() => ann.page.getByTestId('you').textContent()).toBe('Ann');
    await host.page.getByRole('button', { name: 'Decline Bob' }).click();
    await expect.poll(() => bob.page.locator('.notice').first().textContent()).toBe('The host declined your request for a seat.');
    await expect.poll(() => host.page.locator('.candidate').count()).toBe(0);
    await expect.poll(() => host.page.locator('.seat-table tr').count()).toBeGreaterThan(0);
    await screenshots(bob.page, 'candidates-declined');
    for (const tab of [host, ann, bob]) expect(tab.errors).toEqual([]);
  });
});
