/**
 * Two hundred boards, all moving, on Judit's timeline: bots play every seat through real sockets
 * while a spectator watches the timeline live, following now and then the whole exhibition. The
 * timeline shows every lane and draws at a bounded pace. (Frame timings: `npm run bench:page`.)
 */
import { afterAll, expect, inject, it } from 'vitest';
import type { CreatedExhibition } from '../../shared/protocol.js';
import { Sockets } from './bots.js';
import { elementScreenshots, launchBrowser, openTab } from './harness.js';

const url = inject('simulUrl');
const BOARDS = 200;
const sockets = new Sockets(url);

afterAll(() => sockets.close());

it('a timeline of 200 live boards shows every lane and draws at a bounded pace', async () => {
  const res = await fetch(`${url}/api/exhibitions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Two hundred boards', boards: BOARDS, seatsPerAddress: BOARDS, thinkSeconds: 0.02, resignCp: null }),
  });
  const { id, hostKey } = (await res.json()) as CreatedExhibition;
  await sockets.bots(id, BOARDS, { min: 100, max: 400 });
  const browser = await launchBrowser();
  try {
    const tab = await openTab(browser);
    const page = tab.page;
    await page.goto(`${url}/x/${id}`);
    await expect.poll(() => page.locator('.grid .cell').count(), { timeout: 15_000 }).toBe(BOARDS);
    const timeline = page.locator('[data-testid=lesson] .timeline');
    await timeline.scrollIntoViewIfNeeded();

    // each drawing of the timeline
    await page.evaluate(() => {
      const draws: number[] = [];
      (window as unknown as { draws: number[] }).draws = draws;
      const el = document.querySelector<HTMLElement>('[data-testid=lesson] .timeline')!;
      new MutationObserver(() => draws.push(Number(el.dataset.drawMs))).observe(el, { attributes: true, attributeFilter: ['data-draw-ms'] });
    });
    const host = await sockets.connect();
    const watching = Date.now();
    expect((await host.emitWithAck('host:start', { id, hostKey })).ok).toBe(true);
    const moves = async () => ((await (await fetch(`${url}/api/exhibitions/${id}`)).json()) as CreatedExhibition['snapshot']).stats.movesPlayed;
    await expect.poll(moves, { timeout: 40_000, interval: 1000 }).toBeGreaterThan(BOARDS * 2); // it really is busy
    await page.getByTestId('timeline-all').click();
    await expect.poll(() => timeline.evaluate((el) => (el as HTMLElement).dataset.mode)).toBe('all');
    await page.waitForTimeout(2000);
    const seconds = (Date.now() - watching) / 1000;
    const draws = await page.evaluate(() => (window as unknown as { draws: number[] }).draws);
    const d = await timeline.evaluate((el) => ({ ...(el as HTMLElement).dataset }));
    console.log(`200-board timeline: ${draws.length} drawings in ${seconds.toFixed(0)} s; spans in view ${d.spansJudit}/${d.spansOpponent}/${d.spansWaiting}`);

    expect(d.lanes).toBe(String(BOARDS + 1));
    expect(Number(d.spansJudit)).toBeGreaterThan(BOARDS);
    expect(Number(d.spansOpponent)).toBeGreaterThan(BOARDS);
    expect(Number(d.spansWaiting)).toBeGreaterThan(0);
    // live drawing is paced, ten a second at most, however many moves arrive
    expect(draws.length).toBeGreaterThan(0);
    expect(draws.length).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 2);
    await elementScreenshots(page, timeline, 'timeline-200-boards');
    expect(tab.errors).toEqual([]);
    await host.emitWithAck('host:end', { id, hostKey });
  } finally {
    await browser.close();
  }
});
