/**
 * The client's side of the server's limits: the lobby comes a page at a time and loads the rest on
 * demand; the host removes several players at once.
 */
import { afterAll, expect, inject, it } from 'vitest';
import type { CreatedExhibition } from '../../shared/protocol.js';
import { Sockets } from './bots.js';
import { launchBrowser, openTab } from './harness.js';

const url = inject('simulUrl');
const sockets = new Sockets(url);
afterAll(() => sockets.close());

const create = async (body: object) =>
  (await (
    await fetch(`${url}/api/exhibitions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  ).json()) as CreatedExhibition;

it('the lobby shows a page of exhibitions and loads more with its cursor', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 55; i++) ids.push((await create({ name: `Paged ${i}`, boards: 2 })).id);
  const browser = await launchBrowser();
  try {
    const tab = await openTab(browser);
    const page = tab.page;
    await page.goto(url);
    await expect.poll(() => page.locator('.lobby-card').count()).toBe(50);
    const more = page.getByTestId('lobby-more');
    await more.click();
    await expect.poll(() => page.locator('.lobby-card').count()).toBeGreaterThanOrEqual(55);
    const shown = await page.locator('.lobby-card').evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.id));
    expect(ids.every((id) => shown.includes(id))).toBe(true);
    expect(tab.errors).toEqual([]);
  } finally {
    await browser.close();
  }
});

it('the host ticks several seats and removes them at once', async () => {
  const { id, hostKey } = await create({ name: 'Crowded', boards: 4 });
  for (const name of ['Ann', 'Bob', 'Cy']) {
    const s = await sockets.connect();
    expect((await s.emitWithAck('seat:take', { id, name })).ok).toBe(true);
  }
  const browser = await launchBrowser();
  try {
    const tab = await openTab(browser);
    const page = tab.page;
    await page.goto(`${url}/x/${id}/host#key=${hostKey}`);
    await expect.poll(() => page.locator('.seat-table tbody tr').count()).toBe(3);
    await page.getByTestId('pick-1').check();
    await page.getByTestId('pick-3').check();
    await page.getByTestId('kick-selected').click();
    await page.getByTestId('kick-selected-confirm').click();
    await expect.poll(() => page.locator('.seat-table .seat-name').allTextContents()).toEqual(['Bob']);
    expect(tab.errors).toEqual([]);
  } finally {
    await browser.close();
  }
});
