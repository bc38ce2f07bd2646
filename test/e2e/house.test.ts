/**
 * A visitor with no host: the lobby's first screen offers the house exhibition, and a few clicks
 * later they are playing Judit. A second visitor joins the same exhibition while it runs.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drag, openTabs, type RunningServer, screenshots, startServer, type Tab } from './harness.js';

let server: RunningServer;
let browser: Browser;
let alice: Tab;
let bob: Tab;
let carol: Tab;

const board = (page: Page) => page.locator('[data-testid=board]');

beforeAll(async () => {
  server = await startServer({ build: false, env: { HOUSE_BOARDS: '4', HOUSE_ELO: '1500', HOUSE_THINK_SECONDS: '0.2' } });
  ({ browser, tabs: [alice, bob, carol] } = await openTabs(3));
  // a step that cannot happen fails the test rather than waiting for ever
  for (const tab of [alice, bob, carol]) tab.page.setDefaultTimeout(10_000);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** From the lobby to a move on the board, everything waited for within `budgetMs` of opening it. */
async function playFromLobby(tab: Tab, name: string, budgetMs: number): Promise<void> {
  const page = tab.page;
  const opened = Date.now();
  const left = () => Math.max(1, budgetMs - (Date.now() - opened));
  await page.goto(`${server.url}/`);
  const card = page.getByTestId('house');
  await card.getByRole('link', { name: /Play Judit now/ }).click({ timeout: left() });
  await page.getByLabel('Your name').fill(name, { timeout: left() });
  await page.getByRole('button', { name: 'Take a seat' }).click({ timeout: left() });
  await expect.poll(() => board(page).getAttribute('data-turn'), { timeout: left() }).toBe('you');
  // the house's five minutes a move count from when the game started, not from long ago
  await expect.poll(() => page.locator('.you-bar .activity').textContent(), { timeout: left() }).toMatch(/^your move · [45]:\d\d left$/);
  await drag(page, 'e2', 'e4');
  await expect.poll(() => page.locator('.moves .move', { hasText: 'e4' }).count(), { timeout: left() }).toBeGreaterThan(0);
}

describe('the house exhibition', () => {
  it('the lobby offers it first and says who Judit is', async () => {
    await alice.page.goto(`${server.url}/`);
    const card = alice.page.getByTestId('house');
    await expect.poll(() => card.textContent()).toContain('Judit is the Stockfish chess engine, set to play at 1500 Elo');
    await screenshots(alice.page, 'lobby-house');
  });

  it('a visitor with no host plays a move within 10 s of opening the lobby', async () => {
    await playFromLobby(alice, 'Alice', 10_000);
    await expect.poll(() => alice.page.locator('.exhibition-panel').textContent()).toContain('Stockfish');
    // Judit answers
    await expect.poll(() => board(alice.page).getAttribute('data-ply'), { timeout: 15_000 }).toBe('2');
    await screenshots(alice.page, 'play-house');
    expect(alice.errors).toEqual([]);
  });

  it('a second visitor joins while it runs and plays at the next table', async () => {
    await bob.page.goto(`${server.url}/`);
    await expect.poll(() => bob.page.getByTestId('house').textContent()).toContain('1 game under way');
    await playFromLobby(bob, 'Bob', 10_000);
    expect(await bob.page.locator('.page.play').getAttribute('data-table')).toBe('2');
    expect(bob.errors).toEqual([]);
  });

  it('"your move" is noticed: a favicon badge, a blinking title while hidden, a notification once asked for', async () => {
    const page = carol.page;
    // the browser's notifications, as a recorder that has been granted permission
    await page.addInitScript(() => {
      const shown: string[] = [];
      class Recorder {
        static permission = 'default';
        static requestPermission = async () => (Recorder.permission = 'granted');
        constructor(title: string, options?: { body?: string }) {
          shown.push(`${title}: ${options?.body ?? ''}`);
        }
        close() {}
      }
      Object.assign(window, { Notification: Recorder, shownNotifications: shown });
    });
    await playFromLobby(carol, 'Carol', 10_000);
    const icon = page.locator('link[rel=icon]');
    // Judit answered the first move: the favicon carries the badge
    await expect.poll(() => icon.getAttribute('data-badge'), { timeout: 15_000 }).toBe('true');
    await page.getByLabel(/Notify me when it is my move/).check();
    await expect.poll(() => page.getByTestId('notify').isChecked()).toBe(true);

    // the tab goes to the background, then the player moves and Judit answers
    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.getByLabel('Move', { exact: true }).fill('d4');
    await page.getByLabel('Move', { exact: true }).press('Enter');
    await expect.poll(() => board(page).getAttribute('data-ply'), { timeout: 15_000 }).toBe('4');
    await expect.poll(() => page.evaluate(() => (window as unknown as { shownNotifications: string[] }).shownNotifications)).toEqual([
      expect.stringMatching(/^Your move: Judit played \S+ at table \d+\.$/),
    ]);
    await expect.poll(() => page.title()).toBe('♟ Your move!');
    await expect.poll(() => page.title()).toMatch(/Your move — table \d+/);

    // back in front and moved: the badge and the blinking stop
    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.getByLabel('Move', { exact: true }).fill((await board(page).getAttribute('data-fen'))!.includes('/8/3P4/') ? 'Nf3' : 'Nc3');
    await page.getByLabel('Move', { exact: true }).press('Enter');
    await expect.poll(() => board(page).getAttribute('data-ply')).toBe('5');
    // the flag comes down with the move's answer, which follows the broadcasts of the move
    await expect.poll(() => icon.getAttribute('data-badge')).toBe('false');
    await expect.poll(() => page.title()).toMatch(/^Table \d+ against Judit/);
    expect(carol.errors).toEqual([]);
  });
});
