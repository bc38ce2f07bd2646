/**
 * `npm run bench:page`: how a spectator's page keeps its frames while every board moves. The built
 * client and the real server, Debian's Chromium, bots on every seat through real sockets. Each
 * view is measured twice in the same run: idle (seated, not started — the baseline of this machine
 * and browser) and live (every board playing). Figures only; nothing here passes or fails.
 */
import type { Page } from 'playwright-core';
import type { CreatedExhibition } from '../../shared/protocol.js';
import { Sockets } from '../e2e/bots.js';
import { type FrameProbe, installFrameProbe, launchBrowser, openTab, readFrameProbe, startServer } from '../e2e/harness.js';

const MEASURE_MS = 10_000;

interface Figures {
  frames: number;
  p50: number;
  p95: number;
  longTasks: number;
  longest: number;
  draws: number[];
}

const at = (a: number[], q: number) => [...a].sort((x, y) => x - y)[Math.floor(a.length * q)] ?? 0;

async function measure(page: Page, scroll: boolean): Promise<Figures> {
  await installFrameProbe(page);
  await page.evaluate(() => {
    const draws: number[] = [];
    (window as unknown as { draws: number[] }).draws = draws;
    const el = document.querySelector<HTMLElement>('[data-testid=lesson] .timeline');
    if (el) new MutationObserver(() => draws.push(Number(el.dataset.drawMs))).observe(el, { attributes: true, attributeFilter: ['data-draw-ms'] });
  });
  for (let t = 0; t < MEASURE_MS; t += 1000) {
    if (scroll) await page.mouse.wheel(0, t < MEASURE_MS / 2 ? 600 : -600);
    await page.waitForTimeout(1000);
  }
  const probe: FrameProbe = await readFrameProbe(page);
  const gaps = probe.gaps.slice(10);
  return {
    frames: gaps.length,
    p50: at(gaps, 0.5),
    p95: at(gaps, 0.95),
    longTasks: probe.longTasks.length,
    longest: Math.max(0, ...probe.longTasks),
    draws: await page.evaluate(() => (window as unknown as { draws: number[] }).draws),
  };
}

function line(view: string, phase: string, f: Figures): string {
  const draws = f.draws.length ? `${String(f.draws.length).padStart(5)} draws, median ${at(f.draws, 0.5).toFixed(1)} ms, p95 ${at(f.draws, 0.95).toFixed(1)} ms` : '';
  return (
    `${view.padEnd(22)}${phase.padEnd(6)}${String(f.frames).padStart(6)} frames  gap p50 ${f.p50.toFixed(1).padStart(5)} ms  p95 ${f.p95.toFixed(1).padStart(6)} ms  ` +
    `${String(f.longTasks).padStart(3)} long tasks (longest ${f.longest.toFixed(0).padStart(4)} ms)  ${draws}`
  );
}

async function view(url: string, name: string, boards: number, scrollTo: 'grid' | 'timeline'): Promise<string[]> {
  const res = await fetch(`${url}/api/exhibitions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, boards, seatsPerAddress: boards, thinkSeconds: 0.02, resignCp: null }),
  });
  const { id, hostKey } = (await res.json()) as CreatedExhibition;
  const sockets = new Sockets(url);
  const browser = await launchBrowser();
  try {
    await sockets.bots(id, boards, { min: 100, max: 400 });
    const { page } = await openTab(browser);
    // tsx names the functions it compiles with a helper the page lacks; the page gets one that does nothing
    await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    await page.goto(`${url}/x/${id}`);
    await page.locator('.grid .cell').nth(boards - 1).waitFor({ state: 'attached', timeout: 30_000 });
    if (scrollTo === 'timeline') await page.locator('[data-testid=lesson] .timeline').scrollIntoViewIfNeeded();
    const idle = await measure(page, scrollTo === 'grid');
    const host = await sockets.connect();
    await host.emitWithAck('host:start', { id, hostKey });
    const live = await measure(page, scrollTo === 'grid');
    await host.emitWithAck('host:end', { id, hostKey });
    const label = `${boards} boards, ${scrollTo}`;
    return [line(label, 'idle', idle), line(label, 'live', live)];
  } finally {
    sockets.close();
    await browser.close();
  }
}

const server = await startServer();
try {
  const lines = [...(await view(server.url, 'Grid bench', 100, 'grid')), ...(await view(server.url, 'Timeline bench', 200, 'timeline'))];
  console.log(`\nA spectator's page, ${MEASURE_MS / 1000} s idle (the baseline) then ${MEASURE_MS / 1000} s live, in Chromium with software rendering:`);
  for (const l of lines) console.log(l);
} finally {
  await server.stop();
}
