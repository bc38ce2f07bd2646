/**
 * The lesson, visible: the host form forecasts the exhibition as the host types; then a short
 * exhibition played by bots, where the spectator page's figures must be the server's (read off the
 * page, compared with the REST snapshot), Judit's timeline has a lane per board with every kind of
 * span drawn, and the crossover plot marks the server's N*. Screenshots of both charts.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { clock, decimal, duration, percent, seconds, speedup } from '../../client/src/format.js';
import { crossoverCaption, idealSeconds, sequentialSeconds } from '../../shared/lesson.js';
import type { CreatedExhibition, ExhibitionSnapshot, Timeline } from '../../shared/protocol.js';
import { type Client, Sockets } from './bots.js';
import { DESKTOP, elementScreenshots, openTabs, PHONE, screenshots, type Tab } from './harness.js';

const url = inject('simulUrl');
const BOARDS = 6;
const sockets = new Sockets(url);
let browser: Browser;
let spectator: Tab;
let host: Tab;
let id = '';
let hostKey = '';
let hostSocket: Client;

async function snapshot(): Promise<ExhibitionSnapshot> {
  const res = await fetch(`${url}/api/exhibitions/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as ExhibitionSnapshot;
}

const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();

/** "1:02" or "1:02:03" in seconds. */
const clockSeconds = (s: string) => s.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);

/** Every figure of the statistics and of the lesson, as the page shows them. */
async function shown(page: Page): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const key of ['elapsed', 'busy', 'sequential', 'actual', 'speedup', 'moves', 'average']) {
    out[key] = await text(page, `.stats [data-stat=${key}]`);
  }
  for (const key of ['crossover', 'judit', 'opponent', 'pairs', 'ideal', 'measured']) {
    out[`lesson.${key}`] = await text(page, `[data-lesson=${key}]`);
  }
  out.caption = await text(page, '[data-testid=lesson-caption]');
  return out;
}

/** The same figures as the server's snapshot has them, in the page's words. */
function expected(s: ExhibitionSnapshot): Record<string, string> {
  const st = s.stats;
  const l = st.lesson!;
  return {
    busy: percent(st.juditUtilisation),
    sequential: clock(st.sequentialMs),
    actual: clock(st.elapsedMs),
    speedup: speedup(st.speedup),
    moves: String(st.movesPlayed),
    average: `${(st.opponentAvgMs! / 1000).toFixed(1)} s`,
    'lesson.crossover': decimal(l.crossoverBoards),
    'lesson.judit': seconds(l.juditSeconds),
    'lesson.opponent': `${l.opponentSeconds.toFixed(1)} s`,
    'lesson.pairs': l.movePairs.toFixed(1),
    'lesson.ideal': duration(l.idealSeconds * 1000),
    'lesson.measured': duration(st.elapsedMs),
  };
}

/** The exact figures only: those that do not move while the exhibition stands still. */
async function compareStill(page: Page): Promise<void> {
  await expect
    .poll(async () => {
      const page_ = await shown(page);
      const server = expected(await snapshot());
      return Object.fromEntries(Object.keys(server).map((k) => [k, page_[k]]));
    }, { timeout: 5_000 })
    .toEqual(expected(await snapshot()));
}

/** How many pixels of each span colour each lane of the timeline shows, sampled along its middle. */
async function laneColours(page: Page, scope: string): Promise<{ judit: number; opponent: number; waiting: number }[]> {
  return page.evaluate((scope) => {
    const root = document.querySelector<HTMLElement>(`${scope} .timeline`)!;
    const canvas = root.querySelector('canvas')!;
    const ratio = canvas.width / canvas.clientWidth;
    const ctx = canvas.getContext('2d')!;
    const d = root.dataset;
    const rows = [Number(d.juditTop) + Number(d.juditHeight) / 2];
    const lanes = Number(d.lanes) - 1;
    for (let i = 0; i < lanes; i++) rows.push(Number(d.laneTop) + (i + 0.5) * Number(d.laneHeight));
    const colours = { judit: [0xc0, 0x39, 0x2b], opponent: [0x2e, 0x86, 0xc1], waiting: [0xd5, 0xd8, 0xdc] } as const;
    return rows.map((y) => {
      const px = ctx.getImageData(0, Math.floor(y * ratio), canvas.width, 1).data;
      const count = { judit: 0, opponent: 0, waiting: 0 };
      for (let i = 0; i < px.length; i += 4) {
        for (const [kind, [r, g, b]] of Object.entries(colours) as [keyof typeof count, readonly number[]][]) {
          if (Math.abs(px[i] - r) < 6 && Math.abs(px[i + 1] - g) < 6 && Math.abs(px[i + 2] - b) < 6 && px[i + 3] > 250) count[kind]++;
        }
      }
      return count;
    });
  }, scope);
}

beforeAll(async () => {
  ({ browser, tabs: [spectator, host] } = await openTabs(2));
});

afterAll(async () => {
  sockets.close();
  await browser?.close();
});

describe('the lesson, visible', () => {
  it('the host form forecasts the duration as the host types', async () => {
    const page = host.page;
    await page.goto(`${url}/host`);
    const headline = page.getByTestId('prediction');
    const forecast = async () => Number(await headline.getAttribute('data-seconds'));
    // the form's defaults: 8 boards, Judit 3 s a move; the guesses: 30 s a move, 40 moves
    const at = (boards: number, j: number, o: number, m: number, w = 0) =>
      Math.round(idealSeconds({ boards, juditSeconds: j, opponentSeconds: o, movePairs: m, walkSeconds: w }));
    await expect.poll(forecast).toBe(at(8, 3, 30, 40));
    const before = await headline.textContent();

    await page.getByLabel('Boards').fill('24');
    await expect.poll(forecast).toBe(at(24, 3, 30, 40));
    expect(await headline.textContent()).not.toBe(before);

    // the classic example: 24 opponents, 5 s and 55 s a move, 30 moves: twelve hours or one
    await page.getByLabel('Think time per move').fill('5');
    await page.getByLabel('Opponents take about').fill('55');
    await page.getByLabel('A game lasts about').fill('30');
    await expect.poll(forecast).toBe(at(24, 5, 55, 30));
    await expect.poll(() => headline.textContent()).toBe('Table to table, about 1 h 00 min.');
    await expect
      .poll(() => page.getByTestId('prediction-sequential').getAttribute('data-seconds'))
      .toBe(String(sequentialSeconds({ boards: 24, juditSeconds: 5, opponentSeconds: 55, movePairs: 30 })));
    expect(await page.getByTestId('prediction-sequential').textContent()).toBe('One game after another it would take 12 h 00 min.');
    expect(await page.getByTestId('prediction-crossover').textContent()).toMatch(/^With 24 boards Judit is the bottleneck: above 12 boards/);

    // a board fewer than the crossover: she waits on her opponents
    await page.getByLabel('Boards').fill('6');
    await expect.poll(() => page.getByTestId('prediction-crossover').textContent()).toMatch(/^With 6 boards Judit waits on her opponents/);
    await page.getByLabel('Boards').fill('24');

    // walking between tables: the same formula, her walk counted once a round
    await page.getByLabel('Walk between tables').fill('3');
    await expect.poll(forecast).toBe(at(24, 5, 55, 30, 3));
    await page.getByLabel('Walk between tables').fill('0');
    await expect.poll(forecast).toBe(at(24, 5, 55, 30));
    await screenshots(page, 'host-form-prediction');

    // a forecast needs a guess; the guesses are not settings
    await page.getByLabel('Opponents take about').fill('');
    await expect.poll(() => headline.getAttribute('data-seconds')).toBe(null);
    await page.getByLabel('Opponents take about').fill('55');
    await expect.poll(forecast).toBe(at(24, 5, 55, 30));
  });

  it('a short exhibition: the spectator page shows the server’s numbers', async () => {
    const res = await fetch(`${url}/api/exhibitions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'The lesson', boards: BOARDS, seatsPerAddress: BOARDS, thinkSeconds: 0.2, resignCp: null }),
    });
    ({ id, hostKey } = (await res.json()) as CreatedExhibition);
    await sockets.bots(id, BOARDS, { min: 300, max: 900 });
    const page = spectator.page;
    await page.goto(`${url}/x/${id}`);
    await expect.poll(() => page.locator('.grid .cell').count()).toBe(BOARDS);
    const lesson = page.getByTestId('lesson');
    expect(await lesson.getAttribute('open')).not.toBe(null); // unfolded on a wide screen
    await expect.poll(() => page.getByTestId('lesson-caption').textContent()).toMatch(/^Once an opponent has moved/);

    hostSocket = await sockets.connect();
    const started = await hostSocket.emitWithAck('host:start', { id, hostKey });
    expect(started.ok).toBe(true);
    await expect.poll(async () => (await snapshot()).stats.movesPlayed, { timeout: 30_000, interval: 500 }).toBeGreaterThanOrEqual(8 * BOARDS);

    // while it runs: the figures that flow with time agree within a few seconds
    const running = await shown(page);
    const now = await snapshot();
    const st = now.stats;
    expect(now.status).toBe('running');
    const wall = (now.serverNow - now.startedAt!) / 1000;
    expect(Math.abs(clockSeconds(running.elapsed) - wall)).toBeLessThanOrEqual(3);
    expect(Math.abs(clockSeconds(running.actual) - st.elapsedMs / 1000)).toBeLessThanOrEqual(3);
    expect(Math.abs(Number(running.busy.replace('%', '')) - st.juditUtilisation * 100)).toBeLessThanOrEqual(10);
    expect(running.speedup).toMatch(/×$/);
    expect(Number(running.moves)).toBeLessThanOrEqual(st.movesPlayed);
    expect(Number(running.moves)).toBeGreaterThan(0);

    // the timeline is live: spans grow, a lane for Judit and one per board
    const timeline = page.locator('[data-testid=lesson] .timeline');
    await expect.poll(() => timeline.getAttribute('data-lanes')).toBe(String(BOARDS + 1));
    expect(await timeline.getAttribute('data-tables')).toBe('1,2,3,4,5,6');
    await expect.poll(async () => Number(await timeline.getAttribute('data-spans-judit'))).toBeGreaterThan(BOARDS);
    expect(Number(await timeline.getAttribute('data-spans-opponent'))).toBeGreaterThan(BOARDS);
    expect(Number(await timeline.getAttribute('data-spans-waiting'))).toBeGreaterThan(0);

    // the host pauses: everything stands still, and every figure is the server's, to the digit
    const paused = await hostSocket.emitWithAck('host:pause', { id, hostKey });
    expect(paused.ok).toBe(true);
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('Paused');
    await compareStill(page);
    const still = await snapshot();
    const l = still.stats.lesson!;
    expect(l.boards).toBe(BOARDS);
    const caption = (await page.getByTestId('lesson-caption').textContent()) ?? '';
    expect(caption.startsWith(crossoverCaption(l))).toBe(true);
    expect(caption).toContain(`This exhibition: ${BOARDS} boards, ${duration(still.stats.elapsedMs)} so far; the formula says ${duration(l.idealSeconds * 1000)} for the moves played.`);

    // the crossover plot marks the server's N* and this exhibition
    const crossover = page.locator('[data-testid=lesson] .crossover');
    await crossover.scrollIntoViewIfNeeded();
    await expect.poll(() => crossover.getAttribute('data-crossover')).toBe(decimal(l.crossoverBoards));
    expect(await crossover.getAttribute('data-boards')).toBe(String(BOARDS));
    expect(await crossover.getAttribute('data-ideal-seconds')).toBe(String(Math.round(l.idealSeconds)));
    expect(await crossover.getAttribute('data-measured-seconds')).toBe(String(Math.round(still.stats.elapsedMs / 1000)));
    // the curve is drawn in Judit's red, in an animation frame once the plot is on screen
    const red = () =>
      page.evaluate(() => {
        const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=lesson] .crossover canvas')!;
        const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 0; i < px.length; i += 4) if (Math.abs(px[i] - 0xc0) < 8 && Math.abs(px[i + 1] - 0x39) < 8 && Math.abs(px[i + 2] - 0x2b) < 8) n++;
        return n;
      });
    await expect.poll(red).toBeGreaterThan(100);

    // every lane shows what happened there, in the report's colours
    await page.getByTestId('timeline-all').click();
    await expect.poll(() => timeline.getAttribute('data-mode')).toBe('all');
    await expect.poll(() => page.getByTestId('timeline-range').textContent()).toMatch(/^0:00 – /);
    // the REST timeline says what there is to draw; the canvas is drawn in a later animation frame
    const tl = (await (await fetch(`${url}/api/exhibitions/${id}/timeline`)).json()) as Timeline;
    expect(tl.lanes.map((x) => x.table)).toEqual([1, 2, 3, 4, 5, 6]);
    const juditMoves = tl.lanes.reduce((n, x) => n + x.moves.filter((m) => m.by === 'judit').length, 0);
    await expect.poll(async () => Number(await timeline.getAttribute('data-spans-judit'))).toBeGreaterThanOrEqual(juditMoves);
    const lanes = await laneColours(page, '[data-testid=lesson]');
    expect(lanes).toHaveLength(BOARDS + 1);
    expect(lanes[0].judit).toBeGreaterThan(20); // Judit's own lane: her thinking
    expect(lanes[0].opponent + lanes[0].waiting).toBe(0);
    for (const lane of lanes.slice(1)) {
      expect(lane.judit).toBeGreaterThan(0);
      expect(lane.opponent).toBeGreaterThan(0);
    }
    expect(lanes.slice(1).some((lane) => lane.waiting > 0)).toBe(true);

    // zoom: in leaves the whole view, follow comes back to now
    await page.getByTestId('timeline-in').click();
    await expect.poll(() => timeline.getAttribute('data-mode')).toBe('free');
    await page.getByTestId('timeline-follow').click();
    await expect.poll(() => timeline.getAttribute('data-mode')).toBe('follow');
    await page.getByTestId('timeline-all').click();

    await elementScreenshots(page, lesson, 'lesson-paused');
    const resumed = await hostSocket.emitWithAck('host:resume', { id, hostKey });
    expect(resumed.ok).toBe(true);
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('Playing');
    const movesThen = still.stats.movesPlayed;
    await expect.poll(async () => (await snapshot()).stats.movesPlayed, { timeout: 20_000, interval: 500 }).toBeGreaterThan(movesThen + BOARDS);
  });

  it('the host console shows the lesson too', async () => {
    const page = host.page;
    await page.goto(`${url}/x/${id}/host#key=${hostKey}`);
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('Playing');
    const timeline = page.locator('[data-testid=lesson] .timeline');
    await timeline.scrollIntoViewIfNeeded(); // drawn only on screen
    await expect.poll(() => timeline.getAttribute('data-lanes')).toBe(String(BOARDS + 1));
    await expect.poll(async () => Number(await timeline.getAttribute('data-spans-judit'))).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid=lesson] .crossover').getAttribute('data-crossover')).not.toBe(null);
    await elementScreenshots(page, page.getByTestId('lesson'), 'lesson-console');
    await screenshots(page, 'console-lesson');
  });

  it('on a phone the lesson folds away under the boards, and opens to both charts', async () => {
    const page = spectator.page;
    await page.setViewportSize(PHONE);
    await page.reload();
    const lesson = page.getByTestId('lesson');
    await expect.poll(() => lesson.isVisible()).toBe(true);
    expect(await lesson.getAttribute('open')).toBe(null);
    await lesson.locator('summary').click();
    await expect.poll(() => lesson.getAttribute('open')).not.toBe(null);
    const timeline = lesson.locator('.timeline');
    await timeline.scrollIntoViewIfNeeded();
    await expect.poll(async () => Number(await timeline.getAttribute('data-spans-opponent'))).toBeGreaterThan(0);
    // nothing wider than the screen
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.setViewportSize(DESKTOP);
  });

  it('when it ends, the figures are the server’s for good', async () => {
    const ended = await hostSocket.emitWithAck('host:end', { id, hostKey });
    expect(ended.ok).toBe(true);
    const page = spectator.page;
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('Ended');
    await compareStill(page);
    const s = await snapshot();
    const caption = (await page.getByTestId('lesson-caption').textContent()) ?? '';
    expect(caption).toContain(`took ${duration(s.stats.elapsedMs)}`);
    await screenshots(page, 'watch-lesson');
  });

  it('no page threw or logged an error', () => {
    expect([...spectator.errors, ...host.errors]).toEqual([]);
  });
});
