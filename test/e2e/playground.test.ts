/**
 * The lesson as a playground: the page runs the simulator in the browser, so its figures must be
 * the ones `npm run simulate -- --json` prints for the same settings; a slider moved shows the new
 * ones, at desktop and phone widths; a shared link brings its settings back, and "Host this
 * exhibition" carries them to the host form.
 */
import { execFileSync } from 'node:child_process';
import type { Browser, Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { secondsText } from '../../client/src/playground/figures.js';
import { NUMBERS, sliderPosition } from '../../client/src/playground/settings.js';
import type { SimulationResult } from '../../server/simulate/simulate.js';
import { DESKTOP, elementScreenshots, launchBrowser, PHONE, ROOT, screenshots } from './harness.js';

const url = inject('simulUrl');
let browser: Browser;

/** The simulator's command line with these flags, as a reader of the README would run it. */
function simulateCli(flags: string[]): SimulationResult {
  const out = execFileSync('npm', ['run', '--silent', 'simulate', '--', '--json', ...flags], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as SimulationResult;
}

const CLASSIC_FLAGS = ['--boards', '24', '--judit-seconds', '5', '--opponent-seconds', '55', '--moves', '30'];
const SIX_FLAGS = ['--boards', '6', '--judit-seconds', '5', '--opponent-seconds', '55', '--moves', '30'];
const SHARED = '/lesson?boards=40&judit=3&opponent=42&spread=18&moves=12&walk=2&order=urgent';
const SHARED_FLAGS = [
  ...['--boards', '40', '--judit-seconds', '3', '--opponent-seconds', '42', '--opponent-seconds-max', '60'],
  ...['--moves', '12', '--walk-seconds', '2', '--order', 'urgent'],
];
let classic: SimulationResult;
let six: SimulationResult;
let shared: SimulationResult;

async function openPage(size: { width: number; height: number }, path = '/lesson'): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: size, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(`${url}${path}`);
  return { page, errors };
}

const figure = (page: Page, key: string) => page.getByTestId(`figure-${key}`).textContent();

/** The page's simulated figures, once they are the simulator's for `r`. */
async function expectFigures(page: Page, r: SimulationResult): Promise<void> {
  await expect.poll(() => figure(page, 'exhibition'), { timeout: 30_000 }).toBe(secondsText(r.exhibitionSeconds));
  expect(await figure(page, 'sequential')).toBe(secondsText(r.sequentialSeconds));
  expect(await figure(page, 'ideal')).toBe(secondsText(r.idealSeconds));
  expect(await page.getByTestId('pg-status').textContent()).toContain(`${r.boards} boards`);
}

describe('the lesson as a playground', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    classic = simulateCli(CLASSIC_FLAGS);
    six = simulateCli(SIX_FLAGS);
    shared = simulateCli(SHARED_FLAGS);
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const size of [DESKTOP, PHONE]) {
    it(`opens on the classic exhibition and follows the boards slider from 24 to 6 at ${size.width} px`, async () => {
      const { page, errors } = await openPage(size);
      await expectFigures(page, classic);
      // the classic figures, as the simulator's README table has them
      expect(await figure(page, 'sequential')).toBe('43,200 s');
      expect(await figure(page, 'exhibition')).toBe('3,655 s');
      expect(await page.getByTestId('pg-boards').inputValue()).toBe('24');
      // the timeline replays it: its clock moves on
      const replayed = await page.getByTestId('pg-replay-clock').textContent();
      await expect.poll(() => page.getByTestId('pg-replay-clock').textContent()).not.toBe(replayed);

      await page.getByTestId('pg-boards-slider').fill(String(sliderPosition(NUMBERS.boards, 6)));
      expect(await page.getByTestId('pg-boards').inputValue()).toBe('6');
      await expectFigures(page, six);
      expect(new URL(page.url()).searchParams.get('boards')).toBe('6');
      if (size === DESKTOP) {
        await page.getByTestId('pg-boards').fill('24');
        await expectFigures(page, classic);
        await page.locator('.pg-part-head button', { hasText: 'Show all' }).click();
        await page.getByTestId('timeline').scrollIntoViewIfNeeded();
        await expect.poll(() => page.getByTestId('pg-replay-clock').textContent()).toBe('1:00:55 of 1:00:55');
        await screenshots(page, 'playground');
        await elementScreenshots(page, page.locator('.pg-part').first(), 'playground-timeline');
      }
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }

  it('restores the settings of a shared link, and hosts them', async () => {
    const { page, errors } = await openPage(DESKTOP, SHARED);
    expect(await page.getByTestId('pg-boards').inputValue()).toBe('40');
    expect(await page.getByTestId('pg-judit').inputValue()).toBe('3');
    expect(await page.getByTestId('pg-opponent').inputValue()).toBe('42');
    expect(await page.getByTestId('pg-spread').inputValue()).toBe('18');
    expect(await page.getByTestId('pg-moves').inputValue()).toBe('12');
    expect(await page.getByTestId('pg-walk').inputValue()).toBe('2');
    expect(await page.getByTestId('pg-order').inputValue()).toBe('urgent');
    await expectFigures(page, shared);
    expect(await page.getByTestId('pg-link').inputValue()).toBe(`${url}${SHARED}`);

    await page.getByTestId('pg-host').click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/host');
    expect(await page.locator('#f-boards').inputValue()).toBe('40');
    expect(await page.locator('#f-thinkSeconds').inputValue()).toBe('3');
    expect(await page.locator('#f-walkSeconds').inputValue()).toBe('2');
    expect(await page.locator('#f-order').inputValue()).toBe('urgent');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('reports its progress on a thousand boards, and a slider moved meanwhile starts over', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    const workers: Worker[] = [];
    const ended: Worker[] = [];
    page.on('worker', (w) => {
      workers.push(w);
      w.on('close', () => ended.push(w));
    });
    await page.goto(`${url}/lesson?boards=1000`);
    await expect.poll(() => page.getByTestId('pg-status').textContent(), { timeout: 30_000 }).toMatch(/of the exhibition so far/);
    // the page answers while the simulator works: the slider moves, the formula's figures follow at once
    await page.getByTestId('pg-boards-slider').fill(String(sliderPosition(NUMBERS.boards, 6)));
    expect(await figure(page, 'sequential')).toBe(secondsText(six.sequentialSeconds));
    await expectFigures(page, six);
    // the thousand-board run was dropped with its worker; a fresh one ran the six boards
    expect(workers).toHaveLength(2);
    await expect.poll(() => ended.length).toBe(1);
    expect(ended[0]).toBe(workers[0]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
