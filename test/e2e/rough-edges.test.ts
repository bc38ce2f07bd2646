/**
 * The rough edges a new user met, each as they saw it: an error left after a move that went
 * through, a Start with no feedback, words that were not true yet, a board below the fold, a join
 * page that never changed, Express's bare 404, a name cut without a word.
 */
import { Chess } from 'chess.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BoardSummary } from '../../shared/domain.js';
import type { CreatedExhibition } from '../../shared/protocol.js';
import { Sockets } from './bots.js';
import { drag, openTabs, screenshots, type Tab } from './harness.js';

const url = inject('simulUrl');
let browser: Browser;
let host: Tab;
let player: Tab;
let visitor: Tab;
let created: CreatedExhibition;

const board = (page: Page) => page.locator('[data-testid=board]');

beforeAll(async () => {
  ({ browser, tabs: [host, player, visitor] } = await openTabs(3));
  for (const tab of [host, player, visitor]) tab.page.setDefaultTimeout(15_000);
  const res = await fetch(`${url}/api/exhibitions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Rough edges', boards: 4, seatsPerAddress: 10, juditColor: 'black', thinkSeconds: 0.2 }),
  });
  created = (await res.json()) as CreatedExhibition;
});

afterAll(async () => {
  await browser?.close();
  sockets.close();
});

const sockets = new Sockets(url);

describe('rough edges', () => {
  it('an unknown path is the app’s own not-found page, with a 404', async () => {
    const res = await fetch(`${url}/some/where`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(404);
    await visitor.page.goto(`${url}/some/where`);
    await expect.poll(() => visitor.page.locator('main h1').textContent()).toBe('Nothing here');
    expect(await visitor.page.locator('body').textContent()).not.toContain('Cannot GET');
  });

  it('a name past 40 characters is refused in words, not cut', async () => {
    await visitor.page.goto(`${url}/x/${created.id}/play`);
    await visitor.page.getByLabel('Your name').fill('A'.repeat(45));
    await visitor.page.getByRole('button', { name: 'Take a seat' }).click();
    await expect.poll(() => visitor.page.locator('#name-error').textContent()).toBe('At most 40 characters.');
    expect(await visitor.page.getByLabel('Your name').inputValue()).toBe('A'.repeat(45));
  });

  it('the console says nothing is over before the start; Start says "Starting…" and holds seat changes until the exhibition runs', async () => {
    await player.page.goto(`${url}/x/${created.id}/play`);
    await player.page.getByLabel('Your name').fill('Player');
    await player.page.getByRole('button', { name: 'Take a seat' }).click();
    await expect.poll(() => board(player.page).count()).toBe(1);

    // the start is held on its way to the server, as when Judit's engine takes seconds to warm up;
    // its answer is held on the way back, so that the page sees the exhibition running before the answer
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let answer = () => {};
    const answered = new Promise<void>((resolve) => (answer = resolve));
    await host.page.routeWebSocket(/\/socket\.io\//, (ws) => {
      const server = ws.connectToServer();
      let startAck: string | null = null;
      ws.onMessage((message) => {
        const start = typeof message === 'string' ? /^42(\d+)\["host:start"/.exec(message) : null;
        if (start) {
          startAck = `43${start[1]}[`;
          void held.then(() => server.send(message));
        } else server.send(message);
      });
      server.onMessage((message) => {
        if (startAck && typeof message === 'string' && message.startsWith(startAck)) void answered.then(() => ws.send(message));
        else ws.send(message);
      });
    });
    await host.page.goto(`${url}/x/${created.id}/host#key=${created.hostKey}`);
    const page = host.page;
    await expect.poll(() => page.locator('main').textContent()).toContain('The games begin at the start.');
    expect(await page.locator('main').textContent()).not.toContain('Every game is over');

    await page.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Starting…' }).isDisabled()).toBe(true);
    expect(await page.getByTestId('kick-1').isDisabled()).toBe(true);
    expect(await page.getByTestId('pick-1').isDisabled()).toBe(true);
    release();
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('Playing');
    // running before the answer came: seat changes are open again at once
    expect(await page.getByTestId('kick-1').isDisabled()).toBe(false);
    answer();
  });

  it('the join page follows the exhibition: once it starts it offers no seat', async () => {
    await expect.poll(() => visitor.page.locator('main').textContent()).toContain('This exhibition has started: seats are closed.');
    expect(await visitor.page.getByRole('button', { name: 'Take a seat' }).count()).toBe(0);
  });

  it('at 1000×760 the player’s whole board, own back rank included, is above the fold', async () => {
    await player.page.setViewportSize({ width: 1000, height: 760 });
    await player.page.evaluate(() => window.scrollTo(0, 0));
    await expect.poll(async () => (await board(player.page).boundingBox())?.width ?? 0).toBeGreaterThan(300);
    const bar = (await player.page.locator('.you-bar').boundingBox())!;
    expect(bar.y + bar.height).toBeLessThanOrEqual(760);
    await player.page.screenshot({ path: 'test/e2e/screenshots/play-1000.png' });
  });

  it('a move made offline is played on reconnection, and no "did not answer" is left on screen', async () => {
    const page = player.page;
    await expect.poll(() => board(page).getAttribute('data-turn')).toBe('you');
    await player.context.setOffline(true);
    await expect.poll(() => page.getByTestId('whereabouts').textContent()).toBe('Connection lost — reconnecting…');
    await drag(page, 'e2', 'e4');
    await expect.poll(() => page.getByTestId('message').textContent(), { timeout: 15_000 }).toContain('The server did not answer');
    await player.context.setOffline(false);
    await expect.poll(() => page.locator('.moves .move', { hasText: 'e4' }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('message').textContent()).toBe('');
  });

  it('"Draw offered" does not stay under the final result', async () => {
    const page = player.page;
    await expect.poll(() => board(page).getAttribute('data-turn'), { timeout: 15_000 }).toBe('you');
    await page.getByTestId('offer-draw').click();
    await expect.poll(() => page.getByTestId('message').textContent()).toContain('Draw offered');
    await page.getByTestId('resign').click();
    await page.getByTestId('resign-confirm').click();
    await expect.poll(() => page.getByTestId('result').isVisible()).toBe(true);
    expect(await page.getByTestId('message').textContent()).toBe('');
    expect(player.errors).toEqual([]);
  });

  it('the spectator’s large board highlights a king in check', async () => {
    const res = await fetch(`${url}/api/exhibitions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // Judit thinks long enough for the check to be seen before she answers it
      body: JSON.stringify({ name: 'Check', boards: 1, juditColor: 'black', thinkSeconds: 2 }),
    });
    const { id, hostKey } = (await res.json()) as CreatedExhibition;
    const bot = await sockets.connect();
    const seat = await bot.emitWithAck('seat:take', { id, name: 'Checker' });
    if (!seat.ok) throw new Error(seat.error.message);
    // white plays a check as soon as there is one, quiet developing moves until then
    let checked = false;
    const play = (b: BoardSummary) => {
      if (checked || b.table !== seat.table || b.turn !== 'white' || b.end) return;
      const moves = new Chess(b.fen).moves({ verbose: true });
      const check = moves.find((m) => m.san.includes('+'));
      const quiet = moves.filter((m) => !m.captured && m.piece !== 'k' && !m.san.startsWith('O-'));
      const move = check ?? quiet[b.ply % quiet.length] ?? moves[0];
      checked = !!check;
      void bot.emitWithAck('move:play', { id, token: seat.token, table: seat.table, ply: b.ply, uci: move.lan });
    };
    bot.on('board:update', ({ board }) => play(board));
    await visitor.page.goto(`${url}/x/${id}?board=1`);
    await expect.poll(() => visitor.page.getByTestId('focus-board').count()).toBe(1);
    const host = await sockets.connect();
    expect((await host.emitWithAck('host:start', { id, hostKey })).ok).toBe(true);
    play(seat.board);
    await expect.poll(() => visitor.page.locator('[data-testid=focus-board] square.check').count(), { timeout: 50_000, interval: 200 }).toBe(1);
    await screenshots(visitor.page, 'watch-check', { fullPage: false });
  }, 60_000);

  it('on your own turn the forecast says what it means', async () => {
    const res = await fetch(`${url}/api/exhibitions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Forecast', boards: 2, juditColor: 'white', thinkSeconds: 0.5, walkSeconds: 6 }),
    });
    const { id, hostKey } = (await res.json()) as CreatedExhibition;
    const page = visitor.page;
    await page.goto(`${url}/x/${id}/play`);
    await page.getByLabel('Your name').fill('Forecaster');
    await page.getByRole('button', { name: 'Take a seat' }).click();
    await expect.poll(() => board(page).count()).toBe(1);
    const other = await sockets.connect();
    expect((await other.emitWithAck('seat:take', { id, name: 'Other' })).ok).toBe(true);
    const host = await sockets.connect();
    expect((await host.emitWithAck('host:start', { id, hostKey })).ok).toBe(true);
    // Judit moves at table 1, then walks to table 2: on your turn no time is promised, the words say when she comes
    await expect.poll(() => page.getByTestId('whereabouts').textContent(), { timeout: 15_000 }).toMatch(/table 2/);
    const said = await page.getByTestId('whereabouts').textContent();
    expect(said).toContain('She comes to your table once you have moved.');
    expect(said).not.toMatch(/\d+\s*s\b|second|minute/);
    // once you have moved, a time: the page works it out from where she is, and counts it down
    await page.evaluate(() => {
      const headlines: string[] = [];
      (window as unknown as { headlines: string[] }).headlines = headlines;
      const line = document.querySelector<HTMLElement>('[data-testid=whereabouts]')!;
      new MutationObserver(() => headlines.push(line.textContent ?? '')).observe(line, { subtree: true, childList: true, characterData: true });
    });
    await page.getByTestId('move-input').fill('a6');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    const headlines = () => page.evaluate(() => (window as unknown as { headlines: string[] }).headlines);
    await expect.poll(async () => (await headlines()).some((h) => /^Judit is walking to table 2 — 1 table before yours, about \d+ s\.$/.test(h)), { timeout: 15_000 }).toBe(true);
    await screenshots(page, 'play-forecast', { fullPage: false });
    await expect.poll(() => page.getByTestId('whereabouts').textContent(), { timeout: 15_000 }).toMatch(/^Judit is (walking to|at) your table/);
  });
});
