/**
 * Two givers at once: a host picks two givers for four boards in the form; two players and two
 * bots sit down; the spectator's grid shows where Judit and Zsuzsa each stand, each player's
 * forecast names the giver of their own section, and the timeline has a lane for each of them;
 * the playground simulates them too.
 */
import { Chess } from 'chess.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { secondsText } from '../../client/src/playground/figures.js';
import type { ExhibitionSnapshot } from '../../shared/protocol.js';
import { Sockets } from './bots.js';
import { drag, launchBrowser, myTurn, openTab, screenshots, type Tab } from './harness.js';

const url = inject('simulUrl');
const sockets = new Sockets(url);
let browser: Browser;
let host: Tab;
let alice: Tab;
let bob: Tab;
let spectator: Tab;
let id = '';

async function snapshot(): Promise<ExhibitionSnapshot> {
  const res = await fetch(`${url}/api/exhibitions/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as ExhibitionSnapshot;
}

const whereabouts = async (page: Page) => (await page.getByTestId('whereabouts').textContent()) ?? '';

/** The givers' own lanes of the timeline: how many pixels of her thinking colour each shows. */
async function giverLanes(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const root = document.querySelector<HTMLElement>('[data-testid=lesson] .timeline')!;
    const canvas = root.querySelector('canvas')!;
    const ratio = canvas.width / canvas.clientWidth;
    const ctx = canvas.getContext('2d')!;
    const d = root.dataset;
    return Array.from({ length: Number(d.givers) }, (_, g) => {
      const y = Number(d.juditTop) + (g + 0.5) * Number(d.juditHeight);
      const px = ctx.getImageData(0, Math.floor(y * ratio), canvas.width, 1).data;
      let judit = 0;
      for (let i = 0; i < px.length; i += 4) if (Math.abs(px[i] - 0xc0) < 6 && Math.abs(px[i + 1] - 0x39) < 6 && Math.abs(px[i + 2] - 0x2b) < 6) judit++;
      return judit;
    });
  });
}

/** Plays the first quiet legal move on the player's board once it is their turn. */
async function playMove(tab: Tab): Promise<void> {
  const fen = await myTurn(tab.page);
  const m = new Chess(fen).moves({ verbose: true }).find((x) => x.piece !== 'k' && !x.promotion && !x.captured)!;
  await drag(tab.page, m.from, m.to);
}

beforeAll(async () => {
  browser = await launchBrowser();
  [host, alice, bob, spectator] = await Promise.all([openTab(browser), openTab(browser), openTab(browser), openTab(browser)]);
});

afterAll(async () => {
  sockets.close();
  await browser?.close();
});

describe('two givers at once', () => {
  it('the host asks for two givers on four boards', async () => {
    const page = host.page;
    await page.goto(`${url}/host`);
    await page.getByLabel('Name').fill('The sisters');
    await page.getByLabel('Boards').fill('4');
    await page.getByLabel('Givers').selectOption('2');
    await page.getByLabel('Think time per move').fill('1');
    await page.getByLabel('Never resigns').check();
    await expect.poll(() => page.getByTestId('prediction').textContent()).toMatch(/^2 givers at once, each table to table over 2 tables at most/);
    await page.getByRole('button', { name: 'Create exhibition' }).click();
    await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/\/x\/[^/]+\/host#key=/);
    id = /\/x\/([^/]+)\/host/.exec(page.url())![1];
    expect((await snapshot()).config.givers).toBe(2);
    await expect.poll(() => page.locator('.settings-line, .console-settings, p').filter({ hasText: '2 givers (Judit, Zsuzsa)' }).count()).toBeGreaterThan(0);
  });

  it('each player learns who comes to their table: Judit to the first section, Zsuzsa to the second', async () => {
    const invite = `${url}/x/${id}/play`;
    await alice.page.goto(invite);
    await alice.page.getByLabel('Your name').fill('Alice');
    await alice.page.getByRole('button', { name: 'Take a seat' }).click();
    await expect.poll(() => alice.page.getByTestId('you').textContent()).toBe('Alice');
    await sockets.bots(id, 2, { min: 300, max: 900 }); // tables 2 and 3
    await bob.page.goto(invite);
    await bob.page.getByLabel('Your name').fill('Bob');
    await bob.page.getByRole('button', { name: 'Take a seat' }).click();
    await expect.poll(() => bob.page.getByTestId('you').textContent()).toBe('Bob');
    // the two bots sit down together: which of them takes table 2 is theirs to race for
    const opponents = (await snapshot()).boards.map((b) => b.opponent);
    expect([opponents[0], opponents[3]]).toEqual(['Alice', 'Bob']);
    expect(opponents.slice(1, 3).sort()).toEqual(['Player 1', 'Player 2']);

    await expect.poll(() => whereabouts(alice.page)).toBe('Judit starts at your table when the host starts.');
    await expect.poll(() => whereabouts(bob.page)).toBe('Zsuzsa starts at table 3 when the host starts.');
  });

  it('the grid shows where each giver stands, each forecast names its giver, the timeline has both lanes', async () => {
    const page = spectator.page;
    await page.goto(`${url}/x/${id}`);
    await expect.poll(() => page.locator('.grid .cell').count()).toBe(4);
    await host.page.getByTestId('start').click();

    // both at once: Judit at table 1 and Zsuzsa at table 3, each thinking over her first move
    const here = () => page.locator('.grid .cell.here .cell-judit').allTextContents();
    await expect.poll(async () => (await here()).map((t) => t.split(' ')[0]).sort(), { timeout: 10_000 }).toEqual(['Judit', 'Zsuzsa']);
    await expect.poll(() => page.getByTestId('judit-line').textContent()).toMatch(/^Judit is .* · Zsuzsa is /);

    // the players answer; each forecast is about their own giver
    await playMove(alice);
    await playMove(bob);
    await expect.poll(() => whereabouts(alice.page), { timeout: 10_000 }).toMatch(/^Judit /);
    await expect.poll(() => whereabouts(bob.page), { timeout: 10_000 }).toMatch(/^Zsuzsa /);
    const s = await snapshot();
    expect(s.givers).toHaveLength(2);
    // Bob's board names his giver
    await expect.poll(() => bob.page.locator('.judit-bar strong').textContent()).toBe('Zsuzsa');

    // the timeline: a lane for each giver, then one per board, and both givers' lanes show thinking
    const timeline = page.locator('[data-testid=lesson] .timeline');
    await expect.poll(() => timeline.getAttribute('data-givers')).toBe('2');
    await expect.poll(() => timeline.getAttribute('data-lanes')).toBe('6');
    await expect.poll(async () => (await giverLanes(page)).every((px) => px > 0), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.getByTestId('lesson-ways').locator('tr[data-way]').count()).toBe(4);
    // following Zsuzsa: her board large, wherever she walks in her section
    await page.getByTestId('follow-2').click();
    await expect.poll(() => page.url()).toBe(`${url}/x/${id}?board=giver-2`);
    await expect.poll(() => page.getByTestId('follow-2').textContent()).toBe('Following Zsuzsa');
    expect(await page.getByTestId('follow').textContent()).toBe('Follow Judit');
    await expect.poll(() => page.getByTestId('focus').locator('.panel-title').textContent()).toMatch(/^Table [34] · Zsuzsa vs /);
    await screenshots(page, 'givers-watch');
    await screenshots(bob.page, 'givers-play');
    expect([...host.errors, ...alice.errors, ...bob.errors, ...spectator.errors]).toEqual([]);
  });

  it('the playground with two givers: the simulator’s time for them, a timeline lane each', async () => {
    const page = spectator.page;
    await page.goto(`${url}/lesson?givers=2`);
    // the classic 24 boards in two sections of 12: (30 − 1)·60 + 12·5 + 55 s
    await expect.poll(() => page.getByTestId('figure-exhibition').textContent(), { timeout: 30_000 }).toBe(secondsText(1_855));
    expect(await page.getByTestId('pg-givers').inputValue()).toBe('2');
    const timeline = page.locator('.timeline');
    await expect.poll(() => timeline.getAttribute('data-givers')).toBe('2');
    await expect.poll(() => timeline.getAttribute('data-lanes')).toBe('26');
    await screenshots(page, 'givers-playground');
    expect(spectator.errors).toEqual([]);
  });
});
