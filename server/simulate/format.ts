import { fourWays, WAY_NAMES } from '../../shared/lesson.js';
import type { SimulationResult } from './simulate.js';

/** 43,200 s → "12 h 00 min"; 3,655 s → "1 h 00 min 55 s". */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const parts = [];
  if (h) parts.push(`${h} h`);
  if (h || m) parts.push(`${String(m).padStart(h ? 2 : 1, '0')} min`);
  if (rest || parts.length === 0) parts.push(`${rest} s`);
  return parts.join(' ');
}

const grouped = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const opponent = (r: SimulationResult) =>
  r.opponentSecondsMax === null ? `${r.opponentSeconds} s` : `${r.opponentSeconds}–${r.opponentSecondsMax} s`;

const offBy = (r: SimulationResult) => ((r.exhibitionSeconds - r.idealSeconds) / r.idealSeconds) * 100;

/** The classic table: one game after another against table to table. */
export function table(r: SimulationResult): string {
  const rows: [string, string, string][] = [
    ['', 'one after another', 'table to table'],
    ['opponents', String(r.boards), String(r.boards)],
    ['Judit per move', `${r.juditSeconds} s`, `${r.juditSeconds} s`],
    ['opponent per move', opponent(r), opponent(r)],
    ['move pairs per game', String(r.movePairs), String(r.movePairs)],
    ['total time', duration(r.sequentialSeconds), duration(r.exhibitionSeconds)],
    ['seconds', grouped(r.sequentialSeconds), grouped(r.exhibitionSeconds)],
  ];
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  const lines = rows.map(([a, b, c]) => `  ${a.padEnd(w0)}   ${b.padStart(w1)}   ${c}`);
  const off = offBy(r);
  const walk = r.walkSeconds > 0 ? `, walking ${r.walkSeconds} s` : '';
  const notes = [
    r.passes ? `${r.passes} passes` : '',
    r.forfeits ? `${r.forfeits} games forfeited` : '',
    r.gamesEndedEarly ? `${r.gamesEndedEarly} games ended early by the rules` : '',
  ].filter(Boolean);
  return [
    `Simul: ${r.boards} boards, ${r.givers > 1 ? `${r.givers} givers` : 'Judit'} ${r.juditSeconds} s a move${walk}, opponents ${opponent(r)}, ${r.movePairs} move pairs`,
    '',
    ...lines,
    '',
    `  speed-up ${r.speedup.toFixed(2)}×, ${r.givers > 1 ? 'the givers' : 'Judit'} busy ${(r.juditUtilisation * 100).toFixed(1)} % of the time${r.givers > 1 ? ' on average' : ''}`,
    `  ideal (M−1)·max(N·(j+w′), j+o) + N·(j+w) + o${r.givers > 1 ? ' of the longest section' : ''} = ${grouped(r.idealSeconds)} s; measured ${off >= 0 ? '+' : ''}${off.toFixed(2)} %`,
    ...(notes.length ? [`  ${notes.join(', ')}`] : []),
    ...(r.clock ? clockLines(r.clock) : []),
    ...(r.givers > 1 ? giverLines(r) : []),
  ].join('\n');
}

/** Several givers: each one's share, then the same games four ways by the formulas. */
function giverLines(r: SimulationResult): string[] {
  const each = r.perGiver.map(
    (g) => `    ${g.name.padEnd(8)} tables ${g.to >= g.from ? `${g.from}–${g.to}` : 'none'}: busy ${duration(g.busySeconds)}, ${(g.juditUtilisation * 100).toFixed(1)} % of the time`,
  );
  return [`  ${r.givers} givers at once, each over her own section:`, ...each, '', ...waysLines(r)];
}

/** The same N games one after another, by one giver table to table, and by k givers both ways. */
export function waysLines(r: Pick<SimulationResult, 'boards' | 'juditSeconds' | 'opponentSeconds' | 'movePairs' | 'walkSeconds' | 'givers'>): string[] {
  const ways = fourWays(r, r.givers);
  const label = (w: (typeof ways)[number]) => (w.givers > 1 ? `${w.givers} ${WAY_NAMES[w.kind]}` : WAY_NAMES[w.kind]);
  const w0 = Math.max(...ways.map((w) => label(w).length));
  return [
    `  the same ${r.boards} games four ways (ideal):`,
    ...ways.map((w) => {
      const busy = w.busy.length > 1 ? `busy ${w.busy.map((b) => (b * 100).toFixed(0)).join('/')} %` : `busy ${(w.busy[0] * 100).toFixed(0)} %`;
      return `    ${label(w).padEnd(w0)}   ${duration(w.seconds).padStart(14)}   ${w.speedup.toFixed(2).padStart(6)}×   ${busy}`;
    }),
  ];
}

/** A clock simul: the flags, and Judit's time left on every board (her clocks drain in parallel). */
function clockLines(c: NonNullable<SimulationResult['clock']>): string[] {
  const left = c.juditSecondsLeft;
  const perBoard = left.map((s, i) => `${i + 1}: ${duration(Math.max(0, s))}`);
  const rows: string[] = [];
  for (let i = 0; i < perBoard.length; i += 6) rows.push(`    ${perBoard.slice(i, i + 6).join(' · ')}`);
  return [
    `  clocks: Judit lost ${c.juditFlags} on time, her opponents ${c.opponentFlags}; least left ${duration(Math.max(0, Math.min(...left)))}`,
    '  Judit’s time left per board at its end:',
    ...rows,
  ];
}

/** Exhibition time against the number of boards, with the crossover marked. */
export function sweep(results: SimulationResult[], crossover: number, givers = 1): string {
  // with k givers each section is past the crossover from k·N* boards on
  const header = `  boards   table to table   one after another   speed-up   ${givers > 1 ? 'givers busy' : 'Judit busy'}   vs ideal`;
  const lines = [header];
  let marked = false;
  for (const r of results) {
    if (!marked && r.boards > crossover * givers) {
      lines.push(
        givers > 1
          ? `  ── ${givers}·N* = ${givers}·(j+o)/(j+w) = ${grouped(crossover * givers, 1)}: from here on the givers are the bottleneck ──`
          : `  ── N* = (j+o)/(j+w) = ${grouped(crossover, 1)}: from here on Judit is the bottleneck ──`,
      );
      marked = true;
    }
    lines.push(
      `  ${String(r.boards).padStart(6)}   ${duration(r.exhibitionSeconds).padStart(14)}   ${duration(r.sequentialSeconds).padStart(17)}   ${r.speedup.toFixed(2).padStart(7)}×   ${(r.juditUtilisation * 100).toFixed(1).padStart(8)} %   ${offBy(r).toFixed(2).padStart(6)} %`,
    );
  }
  return lines.join('\n');
}
