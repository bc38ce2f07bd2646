/**
 * A hundred boards, all moving: bots play every seat through real sockets while a spectator's
 * grid follows them in Chromium. Every board shows its moves, each move redraws only its own board,
 * and boards never scrolled into view are never drawn. (Frame timings: `npm run bench:page`.)
 */
import { Chess } from 'chess.js';
import { io, type Socket } from 'socket.io-client';
import { afterAll, expect, inject, it } from 'vitest';
import type { ClientToServerEvents, CreatedExhibition, ServerToClientEvents } from '../../shared/protocol.js';
import { launchBrowser, openTab, screenshots } from './harness.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const url = inject('simulUrl');
const BOARDS = 100;
const RUN_MS = 12_000;
const sockets: Client[] = [];

afterAll(() => {
  for (const s of sockets) s.close();
});

function connect(): Promise<Client> {
  const s: Client = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  sockets.push(s);
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

/** One opponent: answers Judit after a human-ish pause with a random legal move. */
async function bot(id: string, n: number): Promise<void> {
  const s = await connect();
  const seat = await s.emitWithAck('seat:take', { id, name: `Player ${n}` });
  if (!seat.ok) throw new Error(seat.error.message);
  const { table, token } = seat;
  let thinking = false;
  s.on('board:update', ({ id: x, board }) => {
    if (x !== id || board.table !== table || board.end || board.turn === board.juditColor || thinking) return;
    thinking = true;
    setTimeout(() => {
      const chess = new Chess(board.fen);
      const moves = chess.moves({ verbose: true });
      const m = moves[Math.floor(Math.random() * moves.length)];
      if (!m) return;
      s.emitWithAck('move:play', { id, token, table, ply: board.ply, uci: `${m.from}${m.to}${m.promotion ?? ''}` })
        .catch(() => undefined) // the test is over and the socket closed
        .finally(() => {
          thinking = false;
        });
    }, 150 + Math.random() * 600);
  });
}

it('a spectator’s grid of 100 live boards shows every move and redraws only what moved', async () => {
  const res = await fetch(`${url}/api/exhibitions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'A hundred boards', boards: BOARDS, seatsPerAddress: BOARDS, thinkSeconds: 0.05, resignCp: null }),
  });
  const { id, hostKey } = (await res.json()) as CreatedExhibition;
  for (let n = 1; n <= BOARDS; n += 10) await Promise.all(Array.from({ length: 10 }, (_, i) => bot(id, n + i)));
  const browser = await launchBrowser();
  try {
    const tab = await openTab(browser);
    const page = tab.page;
    await page.goto(`${url}/x/${id}`);
    await expect.poll(() => page.locator('.grid .cell').count(), { timeout: 15_000 }).toBe(BOARDS);

    // how many boards each redraw touched
    await page.evaluate(() => {
      const touched: number[] = [];
      (window as unknown as { touched: number[] }).touched = touched;
      new MutationObserver((records) => {
        const cells = new Set(records.map((r) => (r.target as HTMLElement).dataset.table));
        touched.push(cells.size);
      }).observe(document.querySelector('.grid')!, { subtree: true, attributes: true, attributeFilter: ['data-ply'] });
    });
    const host = await connect();
    const started = await host.emitWithAck('host:start', { id, hostKey });
    expect(started.ok).toBe(true);
    // scroll through the grid while it plays: boards coming into view are drawn then
    for (let t = 0; t < RUN_MS; t += 1000) {
      await page.mouse.wheel(0, t < RUN_MS / 2 ? 600 : -600);
      await page.waitForTimeout(1000);
    }
    // every board has moved and shows it (on a busy machine the last first replies may lag)
    const plies = () => page.locator('.grid .cell').evaluateAll((cells) => cells.map((c) => Number((c as HTMLElement).dataset.ply)));
    await expect.poll(async () => (await plies()).filter((p) => p > 0).length, { timeout: 30_000 }).toBe(BOARDS);
    const touched = await page.evaluate(() => (window as unknown as { touched: number[] }).touched);
    const wholeGrid = touched.filter((n) => n > BOARDS / 2).length;
    const built = await page.locator('.grid .mini-board.cg-wrap').count();
    console.log(`100 boards: ${touched.length} redraws, ${wholeGrid} touching over half the grid; boards drawn ${built} of ${BOARDS}`);

    expect(touched.length).toBeGreaterThan(BOARDS); // the grid really was busy
    expect(wholeGrid).toBeLessThanOrEqual(2); // the start redraws all; moves redraw only their boards
    expect(built).toBeLessThan(BOARDS); // boards never scrolled into view were never drawn
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(300);
    await screenshots(page, 'watch-100-boards', { fullPage: false });
    expect(tab.errors).toEqual([]);
    await host.emitWithAck('host:end', { id, hostKey });
  } finally {
    await browser.close();
  }
});
