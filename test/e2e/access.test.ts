/**
 * Every visitor can play: a whole game with the keyboard alone, told by the live region as a screen
 * reader would say it; and axe-core finds nothing serious on any page, at desktop and phone widths.
 */
import { Chess } from 'chess.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedExhibition } from '../../shared/protocol.js';
import { DESKTOP, launchBrowser, openTab, PHONE, type RunningServer, screenshots, seriousViolations, startServer, type Tab } from './harness.js';

let server: RunningServer;
let browser: Browser;
let player: Tab;

const board = (page: Page) => page.locator('[data-testid=board]');
const announced = (page: Page) => page.getByTestId('announce').textContent();

beforeAll(async () => {
  server = await startServer({ build: false, env: { HOUSE_BOARDS: '4', HOUSE_THINK_SECONDS: '0.2' } });
  browser = await launchBrowser();
  player = await openTab(browser);
  player.page.setDefaultTimeout(10_000);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Presses Tab until the focused element matches `selector`; fails after `max` presses. */
async function tabTo(page: Page, selector: string, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** A legal quiet move for the side to move, in SAN, keeping the king at home. */
function quietMove(fen: string): string {
  const moves = new Chess(fen).moves({ verbose: true }).filter((m) => m.piece !== 'k' && !m.promotion && !m.captured && !m.san.startsWith('O-'));
  if (!moves.length) throw new Error(`no quiet move in ${fen}`);
  return moves[0].san;
}

/** Buttons, button-like links and fields on screen that a thumb would find too small (under 44 px). */
function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('button, a.btn, .site-nav a, input:not([type=checkbox]):not([type=radio]), select')]
      .filter((el) => el.offsetParent !== null && !el.closest('.cg-wrap, .sr-only'))
      .filter((el) => el.getBoundingClientRect().height < 44)
      .map((el) => `${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('aria-label') || el.getAttribute('placeholder') || '').trim().slice(0, 30)}"`),
  );
}

describe('with the keyboard alone', () => {
  it('a whole game: to the board by Tab and Enter, moves typed, the live region read, then resigned', async () => {
    const page = player.page;
    await page.goto(`${server.url}/`);
    await tabTo(page, '[data-testid=play-house]');
    await page.keyboard.press('Enter');
    // the name field has the focus as the join form opens
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('player-name');
    await page.keyboard.type('Keys');
    await page.keyboard.press('Enter');
    await expect.poll(() => board(page).getAttribute('data-turn')).toBe('you');
    await tabTo(page, '#move-input');

    // a move that is not legal is refused in words, and nothing is sent
    const sent = player.sent('move:play');
    await page.keyboard.type('Ke2');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('move-error').textContent()).toContain('Ke2 is not a legal move here');
    expect(player.sent('move:play')).toBe(sent);
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');

    for (let n = 1; n <= 3; n++) {
      const fen = (await board(page).getAttribute('data-fen'))!;
      const san = n === 1 ? 'e2e4' : quietMove(fen); // UCI once, SAN after
      await page.keyboard.type(san);
      await page.keyboard.press('Enter');
      await expect.poll(() => board(page).getAttribute('data-ply'), { timeout: 15_000 }).toBe(String(2 * n));
      await expect.poll(() => announced(page)).toMatch(/^Judit played (pawn|knight|bishop|rook|queen|king|castles) .*Your move\.\s?$/);
      // the focus stays in the Move field for the next move
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('move-input');
    }
    await expect.poll(() => page.getByTestId('text-board').textContent()).toMatch(/White: king e1; .*Black: king e8/);

    // the arrow keys step through the move list, each move read with its number and side
    await tabTo(page, '.moves');
    await page.keyboard.press('Home');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('1. you: pawn e4');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toMatch(/^1… Judit: /);

    await tabTo(page, '[data-testid=resign]');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('resign-confirm');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('result').textContent()).toContain('Judit won');
    await expect.poll(() => announced(page)).toContain('Judit won You resigned.');
    expect(player.errors).toEqual([]);
  });
});

describe('axe-core on every page', () => {
  it('finds no serious or critical violation at 1280 and 375 px, and no tap target under 44 px on a phone', async () => {
    const res = await fetch(`${server.url}/api/exhibitions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Club night', boards: 3 }),
    });
    const created = (await res.json()) as CreatedExhibition;
    const house = (await (await fetch(`${server.url}/api/house`)).json()) as { id: string };
    const pages: [string, string, string][] = [
      ['lobby', '/', 'Play Judit now'],
      ['host form', '/host', 'Create'],
      ['join', `/x/${created.id}/play`, 'Take a seat'],
      ['play before the start', `/x/${created.id}/play`, 'Move'],
      ['play', `/x/${house.id}/play`, 'Move'],
      ['watch', `/x/${house.id}`, 'Judit'],
      ['watch one board', `/x/${house.id}?board=1`, 'Judit'],
      ['console', `/x/${created.id}/host#key=${created.hostKey}`, 'Start'],
      ['not found', '/no/such/page', 'Nothing here'],
    ];
    const tab = await openTab(browser);
    tab.page.setDefaultTimeout(10_000);
    const found: string[] = [];
    for (const [name, path, text] of pages) {
      await tab.page.goto(`${server.url}${path}`);
      if (name.startsWith('play')) {
        await tab.page.getByLabel('Your name').fill('Axe');
        await tab.page.getByRole('button', { name: 'Take a seat' }).click();
      }
      await expect.poll(() => tab.page.locator('main').textContent(), { message: name }).toContain(text);
      for (const size of [DESKTOP, PHONE]) {
        await tab.page.setViewportSize(size);
        await tab.page.waitForTimeout(200);
        for (const v of await seriousViolations(tab.page)) found.push(`${name} at ${size.width}: ${v}`);
        if (size === PHONE) for (const t of await smallTargets(tab.page)) found.push(`${name} at 375: ${t} is under 44 px high`);
      }
      await tab.page.setViewportSize(DESKTOP);
      await screenshots(tab.page, `page-${name.replace(/ /g, '-')}`);
    }
    expect(found).toEqual([]);
    expect(tab.errors).toEqual([]);
  });
});
