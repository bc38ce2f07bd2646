/**
 * End-to-end plumbing: the server built and started as `npm start` does it (fast brain, a free
 * port, a throwaway data directory), Debian's Chromium, and a hand that drags pieces.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { Chess } from 'chess.js';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { freePort } from '../../server/cluster/cluster.js';
import { UNLIMITED_ENV } from '../unlimited.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const SCREENSHOTS = path.join(ROOT, 'test/e2e/screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 812 };
export const LAPTOP = { width: 1000, height: 760 };

export interface RunningServer {
  url: string;
  log: () => string;
  stop(): Promise<void>;
}


export interface ServerOptions {
  /** Settings on top of the defaults; the house exhibition is off unless HOUSE_BOARDS is given. */
  env?: Record<string, string>;
  /** False when the client is built already (a second server in one run). */
  build?: boolean;
}

/** `npm run build`, then the server as `npm start` runs it, on a free port with the fast brain. */
export async function startServer({ env = {}, build = true }: ServerOptions = {}): Promise<RunningServer> {
  if (build) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'simul-e2e-'));
  let output = '';
  const child: ChildProcess = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', SIMUL_BRAIN: 'fast', DATA_DIR: dataDir, LOG_LEVEL: 'warn', HOUSE_BOARDS: '0', ...UNLIMITED_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: stopped with everything it started
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`the server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url,
    log: () => output,
    async stop() {
      if (child.exitCode === null && child.pid) {
        const exited = new Promise((r) => child.once('exit', r));
        process.kill(-child.pid, 'SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

export interface Tab {
  context: BrowserContext;
  page: Page;
  /** Page errors and console errors: a test fails on any. */
  errors: string[];
  /** socket.io's and the feed's frames this tab sent, by event (command) name. */
  sent: (event: string) => number;
  /** The paths of the WebSockets this tab holds open now: /socket.io/ or /feed. */
  sockets: () => Promise<string[]>;
}

/** A fresh browser profile (its own localStorage): one person. */
export async function openTab(browser: Browser): Promise<Tab> {
  const context = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  const frames: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // the browser's own network noise (a test takes the tab offline) is not the page's error
    if (m.type() === 'error' && !/Failed to load resource|WebSocket connection to|ERR_INTERNET_DISCONNECTED/.test(m.text())) {
      errors.push(`console: ${m.text()}`);
    }
  });
  // the page's own record of its open WebSockets: the browser's, document by document
  await context.addInitScript(() => {
    const open = new Set<WebSocket>();
    (window as unknown as { openSockets: Set<WebSocket> }).openSockets = open;
    window.WebSocket = class extends window.WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        open.add(this);
        this.addEventListener('close', () => open.delete(this));
      }
    };
  });
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => {
      if (typeof f.payload === 'string') frames.push(f.payload);
    });
  });
  // long-polling (if it were ever used) carries frames in POST bodies
  page.on('request', (req) => {
    if (req.url().includes('/socket.io/') && req.method() === 'POST') frames.push(req.postData() ?? '');
  });
  const sent = (event: string) => frames.filter((f) => f.includes(`"${event}"`)).length;
  const sockets = () => page.evaluate(() => [...(window as unknown as { openSockets: Set<WebSocket> }).openSockets].map((ws) => new URL(ws.url).pathname));
  return { context, page, errors, sent, sockets };
}

/** Chromium with `n` people in it, each in a fresh profile (see openTab): close the browser after. */
export async function openTabs(n: number): Promise<{ browser: Browser; tabs: Tab[] }> {
  const browser = await launchBrowser();
  return { browser, tabs: await Promise.all(Array.from({ length: n }, () => openTab(browser))) };
}

/** From the invitation to a seat under `name`, the play page saying who you are. */
export async function takeSeat(tab: Tab, inviteUrl: string, name: string): Promise<void> {
  await tab.page.goto(inviteUrl);
  await tab.page.getByLabel('Your name').fill(name);
  await tab.page.getByRole('button', { name: 'Take a seat' }).click();
  await expect.poll(() => tab.page.getByTestId('you').textContent()).toBe(name);
}

/**
 * Screenshots of the page as it is, at desktop, short laptop and phone sizes: the whole page, or only the
 * screenful (a long grid draws its boards as they scroll into view, not for a full-page capture).
 */
export async function screenshots(page: Page, name: string, { fullPage = true } = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  if (fullPage) await scrollThrough(page);
  await page.waitForTimeout(250);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-1280.png`), fullPage });
  // a laptop's short screen: only the screenful, which is what has to fit
  await page.setViewportSize(LAPTOP);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-1000.png`) });
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(400);
  if (fullPage) await scrollThrough(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-375.png`), fullPage });
  await page.setViewportSize(DESKTOP);
  await page.waitForTimeout(250);
}

/**
 * Scrolls a screenful at a time to the bottom and back to the top: boards and charts are drawn as
 * they come into view, so a full-page capture shows them as a reader scrolling down would see
 * them (and a page scrolled down would draw the sticky header mid-page).
 */
async function scrollThrough(page: Page): Promise<void> {
  const { height, screen } = await page.evaluate(() => ({ height: document.documentElement.scrollHeight, screen: window.innerHeight }));
  for (let y = screen; y < height; y += screen) {
    await page.evaluate((to) => window.scrollTo(0, to), y);
    await page.waitForTimeout(150);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
}

/** Screenshots of one part of the page (scrolled into view, below the sticky header), at desktop and phone widths. */
export async function elementScreenshots(page: Page, part: Locator, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const size of [DESKTOP, PHONE]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(400);
    await part.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await part.screenshot({ path: path.join(SCREENSHOTS, `${name}-${size.width}.png`) });
  }
  await page.setViewportSize(DESKTOP);
  await page.waitForTimeout(250);
}

/** The centre of a square on the board in `selector` (which carries data-orientation). */
async function squareCentre(page: Page, selector: string, square: string): Promise<{ x: number; y: number }> {
  const board = page.locator(`${selector} cg-board`);
  const box = await board.boundingBox();
  if (!box) throw new Error('the board is not on screen');
  const orientation = await page.locator(selector).getAttribute('data-orientation');
  const file = square.charCodeAt(0) - 97;
  const rank = Number(square[1]) - 1;
  const col = orientation === 'black' ? 7 - file : file;
  const row = orientation === 'black' ? rank : 7 - rank;
  const size = box.width / 8;
  return { x: box.x + (col + 0.5) * size, y: box.y + (row + 0.5) * size };
}

/** Drags a piece with the mouse: down on one square, a few moves, up on another. */
export async function drag(page: Page, from: string, to: string, selector = '[data-testid=board]'): Promise<void> {
  const a = await squareCentre(page, selector, from);
  const b = await squareCentre(page, selector, to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(a.x + (b.x - a.x) / 3, a.y + (b.y - a.y) / 3, { steps: 4 });
  await page.mouse.move(b.x, b.y, { steps: 6 });
  await page.mouse.up();
}

/** Which square a piece element sits on, read from where it is drawn. */
export async function pieceSquare(page: Page, pieceSelector: string, selector = '[data-testid=board]'): Promise<string | null> {
  const board = await page.locator(`${selector} cg-board`).boundingBox();
  const piece = await page.locator(`${selector} cg-board ${pieceSelector}`).first().boundingBox();
  if (!board || !piece) return null;
  const orientation = await page.locator(selector).getAttribute('data-orientation');
  const size = board.width / 8;
  const col = Math.floor((piece.x + piece.width / 2 - board.x) / size);
  const row = Math.floor((piece.y + piece.height / 2 - board.y) / size);
  const file = orientation === 'black' ? 7 - col : col;
  const rank = orientation === 'black' ? row : 7 - row;
  return `${String.fromCharCode(97 + file)}${rank + 1}`;
}

export function cleanScreenshots(): void {
  rmSync(SCREENSHOTS, { recursive: true, force: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
}

/** What the page's frames did while a test loaded it: long tasks and the gaps between frames. */
export interface FrameProbe {
  longTasks: number[];
  gaps: number[];
}

/** Starts recording long tasks and frame gaps in the page; `readFrameProbe` collects them. */
export async function installFrameProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const probe = { longTasks: [] as number[], gaps: [] as number[] };
    (window as unknown as { frameProbe: typeof probe }).frameProbe = probe;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probe.longTasks.push(e.duration);
    }).observe({ type: 'longtask' });
    let last = performance.now();
    const frame = (t: number) => {
      probe.gaps.push(t - last);
      last = t;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

export function readFrameProbe(page: Page): Promise<FrameProbe> {
  return page.evaluate(() => (window as unknown as { frameProbe: FrameProbe }).frameProbe);
}

let axeSource: string | undefined;

/** axe-core's findings on the page as it is now that a user would be stopped by: serious and critical ones. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // evaluated rather than added as a <script>: the page's CSP rightly refuses inline scripts
  axeSource ??= readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 5).join(', ')}`);
  });
  return found;
}

/** A player's board on their page. */
export const board = (page: Page): Locator => page.locator('[data-testid=board]');
export const ply = async (page: Page): Promise<number> => Number(await board(page).getAttribute('data-ply'));

/** A legal move that is not a king's move nor a promotion (the tests keep the king at home), a quiet one if there is. */
function someMove(fen: string): { from: string; to: string; san: string } {
  const moves = new Chess(fen).moves({ verbose: true }).filter((m) => m.piece !== 'k' && !m.promotion);
  const quiet = moves.filter((m) => !m.captured);
  const m = (quiet.length ? quiet : moves)[0];
  if (!m) throw new Error(`no move to play in ${fen}`);
  return { from: m.from, to: m.to, san: m.san };
}

/** Once it is this player's move, drags a legal move; checks it was sent exactly once and accepted. Its SAN. */
export async function playMove(tab: Tab): Promise<string> {
  const before = await ply(tab.page);
  const fen = await myTurn(tab.page, before);
  const move = someMove(fen);
  const sent = tab.sent('move:play');
  await drag(tab.page, move.from, move.to);
  await expect.poll(() => ply(tab.page), { timeout: 10_000 }).toBeGreaterThan(before);
  await expect.poll(() => tab.page.locator('.moves .move', { hasText: move.san }).count()).toBeGreaterThan(0);
  expect(tab.sent('move:play')).toBe(sent + 1);
  return move.san;
}

/** Waits until it is this player's move (Judit has answered) and returns the position. */
export async function myTurn(page: Page, atLeastPly = 0): Promise<string> {
  await expect.poll(async () => (await board(page).getAttribute('data-turn')) === 'you' && (await ply(page)) >= atLeastPly, { timeout: 15_000 }).toBe(true);
  return (await board(page).getAttribute('data-fen'))!;
}
