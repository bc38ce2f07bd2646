/** The bench's figures: a table to read, and one JSON line for machines. */
import type { CoreLoopResult, LoopFigures } from './commands.js';
import type { PointParams, RawFigures, SimulFigures } from './run.js';

export interface BenchResult {
  params: PointParams;
  simul: SimulFigures;
  raw: RawFigures;
  core: CoreLoopResult;
}

export const GOALS = 'fan-out p99 ≤ 1.3× raw, event-loop p99 ≤ 20 ms outside broadcast bursts, ≤ 12 KB heap per spectator, ≤ 100 KB per board, core loop ≥ 0.5× chess.js';

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/** The one JSON line: `{"boards","spectators","fanout":{…},"eventLoopP99Ms",…,"coreLoop":{…}}`. */
export function resultLine({ params, simul, raw, core }: BenchResult) {
  return {
    boards: params.boards,
    spectators: params.spectators,
    fanout: {
      p50Ms: round(simul.fanout.p50Ms),
      p99Ms: round(simul.fanout.p99Ms),
      rawP99Ms: round(raw.fanout.p99Ms),
      ratioToRaw: round(simul.fanout.p99Ms / raw.fanout.p99Ms, 2),
    },
    eventLoopP99Ms: round(simul.loop.p99Ms),
    heapPerSpectatorKB: round(simul.heapPerSpectatorKB),
    heapPerBoardKB: round(simul.heapPerBoardKB.total),
    coreLoop: {
      juditMovesPerSec: Math.round(core.juditMovesPerSec),
      chessJsMovesPerSec: Math.round(core.chessJsMovesPerSec),
      ratio: round(core.juditMovesPerSec / core.chessJsMovesPerSec, 2),
    },
  };
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const kb = (n: number) => `${n.toFixed(1)} KB`;
const pct = (n: number) => `${Math.round(n * 100)} %`;
const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');

const loopCell = (l: LoopFigures) => `${l.p50Ms.toFixed(1)} / ${l.p99Ms.toFixed(1)} / ${l.maxMs.toFixed(0)} ms`;
const quietCell = (l: LoopFigures) => `${ms(l.quietP99Ms)} (${pct(l.quietShare)} of the time)`;

function rows(lines: [string, string, string, string][]): string {
  const widths = [0, 1, 2, 3].map((i) => Math.max(...lines.map((l) => l[i].length)));
  return lines.map((l) => l.map((cell, i) => cell.padEnd(widths[i])).join('   ').trimEnd()).join('\n');
}

export function table(result: BenchResult, machine: string): string {
  const { params: p, simul: s, raw: r, core: c } = result;
  const line = resultLine(result);
  const ratio = line.fanout.ratioToRaw;
  const coreRatio = line.coreLoop.ratio;
  return [
    `${p.boards} boards, ${p.spectators} spectators, ${p.seconds} s measured; Judit thinks ${p.thinkMs} ms, bots ${p.botMs} ms ±50 %`,
    machine,
    '',
    rows([
      ['', 'Simul', 'raw socket.io', 'goal'],
      ['fan-out p50', ms(s.fanout.p50Ms), ms(r.fanout.p50Ms), ''],
      ['fan-out p99', ms(s.fanout.p99Ms), ms(r.fanout.p99Ms), `≤ 1.3× raw: ${ratio}× ${mark(ratio <= 1.3)}`],
      ['fan-out max', ms(s.fanout.maxMs), ms(r.fanout.maxMs), ''],
      ['deliveries timed', String(s.fanout.deliveries), String(r.fanout.deliveries), ''],
      ['board updates / s', s.fanout.updatesPerSec.toFixed(1), r.fanout.updatesPerSec.toFixed(1), ''],
      ['messages / s per spectator', s.fanout.messagesPerSec.toFixed(1), r.fanout.messagesPerSec.toFixed(1), ''],
      ['bytes per message (JSON)', s.fanout.bytesPerMessage.toFixed(0), r.fanout.bytesPerMessage.toFixed(0), `board:update ${s.payloadBytes} B`],
      ['event loop p50 / p99 / max', loopCell(s.loop), loopCell(r.loop), ''],
      ['event loop p99 outside bursts', quietCell(s.loop), quietCell(r.loop), `≤ 20 ms: ${mark(s.loop.quietP99Ms <= 20)}`],
      ['server CPU / loop busy', `${pct(s.loop.cpu)} / ${pct(s.loop.utilisation)}`, `${pct(r.loop.cpu)} / ${pct(r.loop.utilisation)}`, ''],
      ['heap per spectator', kb(s.heapPerSpectatorKB), `${kb(r.heapPerSocketKB)} per socket`, `≤ 12 KB: ${mark(s.heapPerSpectatorKB <= 12)}`],
      ['heap per board', `${kb(s.heapPerBoardKB.total)} (seated ${s.heapPerBoardKB.seated.toFixed(1)} + play ${s.heapPerBoardKB.played.toFixed(1)} in ${p.seconds + 4} s)`, '', `≤ 100 KB: ${mark(s.heapPerBoardKB.total <= 100)}`],
      ['broadcasts kept for recovery', `${s.heap.played.keptPackets} (${s.heap.watched.keptPackets} before play)`, '', ''],
      ['late deliveries / drops', `${s.fanout.negative} / ${s.fanout.disconnects}`, `${r.fanout.negative} / ${r.fanout.disconnects}`, 'clock skew / disconnects: 0'],
    ]),
    '',
    `core loop (${c.boards} boards × ${c.movePairs} move pairs, virtual clock, instant brain and opponents):`,
    `  Judit ${Math.round(c.juditMovesPerSec)} moves/s; chess.js alone on the same games ${Math.round(c.chessJsMovesPerSec)}/s ` +
      `(her move and the reply: ${Math.round(c.chessJsCallsPerSec)} move() calls/s) → ${coreRatio}× ` +
      `(≥ 0.5×: ${mark(coreRatio >= 0.5)})`,
  ].join('\n');
}

export function sweepTable(results: BenchResult[]): string {
  return [
    'fan-out by audience',
    rows([
      ['spectators', 'Simul p50 / p99', 'raw p99', 'ratio · event loop p99'],
      ...results.map(({ params, simul, raw }): [string, string, string, string] => [
        String(params.spectators),
        `${ms(simul.fanout.p50Ms)} / ${ms(simul.fanout.p99Ms)}`,
        ms(raw.fanout.p99Ms),
        `${(simul.fanout.p99Ms / raw.fanout.p99Ms).toFixed(2)}× · ${ms(simul.loop.p99Ms)}`,
      ]),
    ]),
  ].join('\n');
}
