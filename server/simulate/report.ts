import { giverName } from '../../shared/givers.js';
import { crossoverBoards, crossoverCaption, crossoverCurve, fourWays, giversCurve, WAY_NAMES } from '../../shared/lesson.js';
import type { Exhibition } from '../exhibition/exhibition.js';
import { duration } from './format.js';
import type { SimulationResult } from './simulate.js';

const COLORS = { judit: '#c0392b', opponent: '#2e86c1', waiting: '#d5d8dc', ideal: '#c0392b', sequential: '#7f8c8d' };
/** The ideal for 2 and 4 givers beside Judit's alone, and for this run's givers when they are another number. */
function curvesFor(givers: number): { givers: number; color: string }[] {
  const curves = [
    { givers: 2, color: '#8e44ad' },
    { givers: 4, color: '#16a085' },
  ];
  return givers > 1 && givers !== 2 && givers !== 4 ? [...curves, { givers, color: '#d68910' }] : curves;
}
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One lane per board plus one per giver: who was thinking when, and when a board waited for its giver. */
export function timelineSvg(exh: Exhibition): string {
  const start = exh.startedAt ?? 0;
  const end = exh.finishedAt ?? exh.now();
  const span = Math.max(1, end - start);
  const lane = 14;
  const left = 70;
  const width = 1000;
  const givers = exh.givers.length;
  const lanes = exh.boards.length + givers;
  const height = lanes * lane + 30;
  const x = (t: number) => left + ((t - start) / span) * width;
  const rect = (y: number, from: number, to: number, color: string) =>
    to > from ? `<rect x="${x(from).toFixed(2)}" y="${y}" width="${Math.max(0.3, x(to) - x(from)).toFixed(2)}" height="${lane - 3}" fill="${color}"/>` : '';
  const parts: string[] = exh.givers.map((_, g) => `<text x="4" y="${g * lane + lane - 4}" font-weight="bold">${esc(giverName(g))}</text>`);
  exh.boards.forEach((b, i) => {
    const y = (i + givers) * lane;
    const giverLane = exh.giverOf(b.table) * lane;
    parts.push(`<text x="4" y="${y + lane - 4}">Table ${b.table}</text>`);
    for (const m of b.moves) {
      if (m.by === 'judit') {
        parts.push(rect(y, m.readyAt, m.startedAt, COLORS.waiting), rect(y, m.startedAt, m.movedAt, COLORS.judit));
        parts.push(rect(giverLane, m.startedAt, m.movedAt, COLORS.judit));
      } else {
        parts.push(rect(y, m.readyAt, m.movedAt, COLORS.opponent));
      }
    }
  });
  const ticks = 6;
  for (let i = 0; i <= ticks; i++) {
    const t = start + (span * i) / ticks;
    parts.push(`<text x="${x(t).toFixed(1)}" y="${height - 6}" text-anchor="middle">${esc(duration((t - start) / 1000))}</text>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${left + width + 40} ${height}" font-family="sans-serif" font-size="10">${parts.join('')}</svg>`;
}

/** Exhibition time against boards: the ideal curve, one after another, the crossover, the measured points. */
export function crossoverSvg(run: SimulationResult, measured: SimulationResult[]): string {
  const nStar = crossoverBoards(run);
  // far enough for the knee of every curve: k givers are the bottleneck from k·N* boards on
  const widest = Math.max(4, run.givers);
  const maxBoards = Math.max(run.boards, ...measured.map((m) => m.boards), Math.ceil(nStar * (run.givers > 1 ? widest + 1 : 2)));
  const curve = crossoverCurve(run, maxBoards);
  const giverCurves = curvesFor(run.givers).map((c) => ({ ...c, points: giversCurve(run, maxBoards, c.givers) }));
  const left = 110;
  const width = 700;
  const height = 320;
  const top = 10;
  const maxT = Math.max(...curve.map((p) => p.idealSeconds), ...measured.map((m) => m.exhibitionSeconds)) * 1.1;
  const x = (n: number) => left + ((n - 1) / Math.max(1, maxBoards - 1)) * width;
  const y = (s: number) => top + height - (s / maxT) * height;
  const line = (pts: [number, number][], color: string, dash = '') =>
    `<polyline fill="none" stroke="${color}" stroke-width="2" ${dash ? `stroke-dasharray="${dash}"` : ''} points="${pts.map(([a, b]) => `${a.toFixed(1)},${Math.max(top, b).toFixed(1)}`).join(' ')}"/>`;
  const parts = [
    line(curve.map((p) => [x(p.boards), y(p.idealSeconds)]), COLORS.ideal),
    line(curve.map((p) => [x(p.boards), y(p.sequentialSeconds)]), COLORS.sequential, '6 4'),
    ...giverCurves.map((c) => line(c.points.map((p) => [x(p.boards), y(p.idealSeconds)]), c.color, '3 2')),
    `<line x1="${x(nStar)}" x2="${x(nStar)}" y1="${top}" y2="${top + height}" stroke="#555" stroke-dasharray="2 3"/>`,
    `<text x="${x(nStar) + 4}" y="${top + 12}">N* = ${nStar.toFixed(1)}</text>`,
    ...measured.map((m) => `<circle cx="${x(m.boards)}" cy="${y(m.exhibitionSeconds)}" r="${m === run ? 5 : 3}" fill="#111"/>`),
    `<line x1="${left}" x2="${left + width}" y1="${top + height}" y2="${top + height}" stroke="#333"/>`,
    `<line x1="${left}" x2="${left}" y1="${top}" y2="${top + height}" stroke="#333"/>`,
    `<text x="${left + width / 2}" y="${top + height + 30}" text-anchor="middle">boards</text>`,
  ];
  for (const n of [1, Math.round(maxBoards / 4), Math.round(maxBoards / 2), Math.round((3 * maxBoards) / 4), maxBoards]) {
    parts.push(`<text x="${x(n)}" y="${top + height + 14}" text-anchor="middle">${n}</text>`);
  }
  // ticks on whole minutes (or hours), the one-after-another line runs off the top soon after N = 1
  const step = niceStep(maxT / 4);
  for (let s = 0; s <= maxT; s += step) {
    parts.push(`<text x="${left - 6}" y="${y(s) + 4}" text-anchor="end">${esc(duration(s))}</text>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${left + width + 30} ${top + height + 40}" font-family="sans-serif" font-size="11">${parts.join('')}</svg>`;
}

function niceStep(rough: number): number {
  const steps = [1, 5, 10, 30, 60, 300, 600, 900, 1800, 3600, 7200, 18_000, 36_000, 86_400];
  return steps.find((s) => s >= rough) ?? Math.ceil(rough / 86_400) * 86_400;
}

/** The same N games four ways, by the formulas: the time, the speed-up and each giver's busy share. */
function waysHtml(run: SimulationResult): string {
  // Judit alone is set beside two givers, as the lesson panel does
  const rows = fourWays(run, run.givers > 1 ? run.givers : 2).map((w) => {
    const label = w.givers > 1 ? `${w.givers} ${WAY_NAMES[w.kind]}` : WAY_NAMES[w.kind];
    const busy = w.busy.map((b) => `${(b * 100).toFixed(0)} %`).join(' · ');
    return `<tr><th>${esc(label)}</th><td>${duration(w.seconds)}</td><td>${w.speedup.toFixed(2)}×</td><td>${busy}</td></tr>`;
  });
  return `<h2>The same ${run.boards} games four ways</h2>
<table class="ways"><tr><th></th><th>time</th><th>speed-up</th><th>each giver busy</th></tr>${rows.join('')}</table>`;
}

/** Several givers: each one's section and share of the simulated exhibition. */
function giversHtml(run: SimulationResult): string {
  const rows = run.perGiver.map(
    (g) => `<tr><th>${esc(g.name)}</th><td>${g.to >= g.from ? `${g.from}–${g.to}` : 'none'}</td><td>${duration(g.busySeconds)}</td><td>${(g.juditUtilisation * 100).toFixed(1)} %</td></tr>`,
  );
  return `<table class="givers"><tr><th>giver</th><th>tables</th><th>busy</th><th>of the time</th></tr>${rows.join('')}</table>`;
}

/** A clock simul: the flags, and Judit's time left on every board when its game ended. */
function clocksHtml(c: NonNullable<SimulationResult['clock']>): string {
  const cells = c.juditSecondsLeft.map((s, i) => `<tr><th>table ${i + 1}</th><td>${duration(Math.max(0, s))}</td></tr>`).join('');
  return `<h2>Clocks</h2>
<p>Judit lost ${c.juditFlags} on time, her opponents ${c.opponentFlags}. Her clock on each board ran while she was at the others:</p>
<table><tr><th></th><th>Judit’s time left</th></tr>${cells}</table>`;
}

/** One self-contained HTML file: the figures, the givers' timeline and the crossover plot. */
export function reportHtml(run: SimulationResult, exh: Exhibition, sweep: SimulationResult[]): string {
  const row = (k: string, a: string, b: string) => `<tr><th>${k}</th><td>${a}</td><td>${b}</td></tr>`;
  const off = ((run.exhibitionSeconds - run.idealSeconds) / run.idealSeconds) * 100;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Simul simulation: ${run.boards} boards</title>
<style>body{font-family:system-ui,sans-serif;max-width:1150px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse}th,td{padding:4px 12px;text-align:right;border-bottom:1px solid #ddd}th{text-align:left}
.key span{display:inline-block;width:12px;height:12px;margin:0 4px 0 14px;vertical-align:middle}svg{width:100%;height:auto}</style></head>
<body><h1>Simul: ${run.boards} boards, Judit ${run.juditSeconds} s a move, opponents ${run.opponentSeconds} s, ${run.movePairs} move pairs</h1>
<table><tr><th></th><th>one after another</th><th>table to table</th></tr>
${row('total time', duration(run.sequentialSeconds), duration(run.exhibitionSeconds))}
${row('seconds', run.sequentialSeconds.toLocaleString('en-US'), run.exhibitionSeconds.toLocaleString('en-US'))}
</table>
<p>Speed-up ${run.speedup.toFixed(2)}×, ${run.givers > 1 ? `${run.givers} givers` : 'Judit'} busy ${(run.juditUtilisation * 100).toFixed(1)} % of the time${run.givers > 1 ? ' on average' : ''}. The ideal
(M−1)·max(N·(j+w′), j+o) + N·(j+w) + o${run.givers > 1 ? ' of the longest section' : ''} is ${run.idealSeconds.toLocaleString('en-US')} s; this run is ${off >= 0 ? '+' : ''}${off.toFixed(2)} % from it.</p>
${run.givers > 1 ? giversHtml(run) : ''}
${waysHtml(run)}
<h2>Timeline</h2>
<p class="key"><span style="background:${COLORS.judit}"></span>${run.givers > 1 ? 'a giver' : 'Judit'} thinking<span style="background:${COLORS.opponent}"></span>opponent thinking<span style="background:${COLORS.waiting}"></span>board waiting for ${run.givers > 1 ? 'its giver' : 'Judit'}</p>
${timelineSvg(exh)}
${run.clock ? clocksHtml(run.clock) : ''}
<h2>Exhibition time against the number of boards</h2>
<p class="key"><span style="background:${COLORS.ideal}"></span>table to table (ideal)${curvesFor(run.givers).map((c) => `<span style="background:${c.color}"></span>${c.givers} givers`).join('')}<span style="background:${COLORS.sequential}"></span>one after another (off the chart above a few boards)<span style="background:#111;border-radius:6px"></span>simulated${run.givers > 1 ? ` with ${run.givers} givers` : ''}</p>
${crossoverSvg(run, sweep.length ? sweep : [run])}
<p>${esc(crossoverCaption(run))}</p>
</body></html>
`;
}
