/** The bench's figures: a table to read, and one JSON line for machines. */
import type { CoreLoopResult, LoopFigures } from './commands.js';
import { Histogram } from './histogram.js';
import type { PointParams, RawFigures, SimulFigures, Turn } from './run.js';

export interface BenchResult {
  params: PointParams;
  simul: SimulFigures;
  raw: RawFigures;
  core: CoreLoopResult;
}

export const GOALS =
  'fan-out p99 ≤ 1.1× raw (the median of the pairs), CPU per message ≤ 1.2× raw, event-loop p99 ≤ 20 ms outside broadcast bursts, ≤ 6 KB heap per spectator, ≤ 100 KB per board, core loop ≥ 0.5× chess.js';

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Simul's p99 over raw's, turn by turn: each pair measured within seconds of each other. */
const pairRatios = ({ simul, raw }: BenchResult) => simul.turns.map((t, i) => t.fanout.p99Ms / raw.turns[i].fanout.p99Ms);

/**
 * CPU time per message delivered over all turns, µs: over the servers' own window, so divided by the
 * messages they delivered in it, their spectators' frames (one a message on both servers).
 */
const cpuPerMessage = (turns: Turn[]) =>
  turns.reduce((sum, t) => sum + t.loop.cpuMicros, 0) / Math.max(1, turns.reduce((sum, t) => sum + t.loop.sharedFrames, 0));

/** The p50 and p99 of every turn's send spans together. */
function spanQuantiles(turns: Turn[]): { p50: number; p99: number } {
  const spans = new Histogram();
  for (const t of turns) for (const span of t.sendSpans) spans.record(span);
  return { p50: round(spans.quantile(0.5)), p99: round(spans.quantile(0.99)) };
}

/** The mean share of the machine busy over the turns, null when it was not read. */
function busyShare(turns: Turn[]): number | null {
  const read = turns.flatMap((t) => (t.machineBusy === null ? [] : [t.machineBusy]));
  return read.length ? round(read.reduce((sum, b) => sum + b, 0) / read.length, 2) : null;
}

/** WebSocket frames sent per message the spectators received: to everyone, and of the spectators' broadcasts alone. */
function framesPerMessage(turns: Turn[]) {
  const messages = Math.max(1, turns.reduce((sum, t) => sum + t.messages, 0));
  return {
    all: round(turns.reduce((sum, t) => sum + t.loop.frames, 0) / messages, 3),
    shared: round(turns.reduce((sum, t) => sum + t.loop.sharedFrames, 0) / messages, 3),
  };
}

/** The turn whose event-loop p99 is the median one: the loop's figures of a typical turn. */
const typicalLoop = (turns: Turn[]): LoopFigures => [...turns].sort((a, b) => a.loop.p99Ms - b.loop.p99Ms)[Math.floor(turns.length / 2)].loop;

/**
 * The one JSON line: `{"boards","spectators","fanout":{…},"eventLoopP99Ms",…,"coreLoop":{…},
 * "cpuMicrosPerMessage":{…},"broadcasts"}`.
 */
export function resultLine(result: BenchResult) {
  const { params, simul, raw, core } = result;
  const ratios = pairRatios(result);
  const cpu = { simul: cpuPerMessage(simul.turns), raw: cpuPerMessage(raw.turns) };
  return {
    boards: params.boards,
    spectators: params.spectators,
    fanout: {
      p50Ms: round(simul.fanout.p50Ms),
      p99Ms: round(simul.fanout.p99Ms),
      rawP99Ms: round(raw.fanout.p99Ms),
      /** The median over the pairs of turns, and the least and greatest. */
      ratioToRaw: round(median(ratios), 2),
      ratioSpread: [round(Math.min(...ratios), 2), round(Math.max(...ratios), 2)],
    },
    eventLoopP99Ms: round(typicalLoop(simul.turns).p99Ms),
    heapPerSpectatorKB: round(simul.heapPerSpectatorKB),
    heapPerBoardKB: round(simul.heapPerBoardKB.total),
    coreLoop: {
      juditMovesPerSec: Math.round(core.juditMovesPerSec),
      chessJsMovesPerSec: Math.round(core.chessJsMovesPerSec),
      ratio: round(core.juditMovesPerSec / core.chessJsMovesPerSec, 2),
    },
    exhibitions: params.exhibitions,
    pairs: simul.turns.length,
    cpuMicrosPerMessage: { simul: round(cpu.simul), raw: round(cpu.raw), ratio: round(cpu.simul / cpu.raw, 2) },
    /** From a board:update's sentAt to its write to the last spectator's socket, at the server: p50 and p99, ms. */
    sendSpanMs: { simul: spanQuantiles(simul.turns), raw: spanQuantiles(raw.turns) },
    /** The share of the machine's cores busy during each server's turns (their mean): near 1, latency is the queue for a core. */
    machineBusy: { simul: busyShare(simul.turns), raw: busyShare(raw.turns) },
    broadcasts: simul.broadcasts,
    framesPerMessage: { simul: framesPerMessage(simul.turns), raw: framesPerMessage(raw.turns) },
    serverProcesses: params.serverProcesses,
    /** The bare server framed each spectators' frame once for all its sockets, as Simul's feed does (`--raw-frames-once`). */
    rawFramesOnce: params.rawFramesOnce,
    /** Every server process's CPU together per message a spectator received: against one process without Redis, the adapter's cost. */
    cpuMicrosPerDeliveredMessage: { simul: round(cpu.simul, 2), raw: round(cpu.raw, 2) },
  };
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const us = (n: number) => `${n.toFixed(1)} µs`;
const kb = (n: number) => `${n.toFixed(1)} KB`;
const pct = (n: number) => `${Math.round(n * 100)} %`;
const busyCell = (share: number | null) => (share === null ? 'unknown' : pct(share));
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
  const { ratioToRaw: ratio, ratioSpread: spread } = line.fanout;
  const cpu = line.cpuMicrosPerMessage;
  const coreRatio = line.coreLoop.ratio;
  const [sl, rl] = [typicalLoop(s.turns), typicalLoop(r.turns)];
  return [
    `${p.boards} boards in ${p.exhibitions} exhibitions, ${p.spectators} spectators; ${s.turns.length} turns of ${p.seconds} s each; ` +
      (p.serverProcesses > 1 ? `${p.serverProcesses} server processes sharing Redis; ` : '') +
      (p.rawFramesOnce ? 'the raw server frames once; ' : '') +
      `Judit thinks ${p.thinkMs} ms, bots ${p.botMs} ms ±50 %`,
    machine,
    '',
    rows([
      ['', 'Simul', 'raw ws (+ socket.io)', 'goal'],
      ['fan-out p50', ms(s.fanout.p50Ms), ms(r.fanout.p50Ms), ''],
      ['fan-out p99', ms(s.fanout.p99Ms), ms(r.fanout.p99Ms), `≤ 1.1× raw: ${ratio}× (${spread[0]}–${spread[1]}) ${mark(ratio <= 1.1)}`],
      ['fan-out p99 turn by turn', s.turns.map((t) => t.fanout.p99Ms.toFixed(0)).join(' · '), r.turns.map((t) => t.fanout.p99Ms.toFixed(0)).join(' · '), 'ms'],
      ['sentAt → last socket written, p50 / p99', `${ms(line.sendSpanMs.simul.p50)} / ${ms(line.sendSpanMs.simul.p99)}`, `${ms(line.sendSpanMs.raw.p50)} / ${ms(line.sendSpanMs.raw.p99)}`, 'the server’s own part of the fan-out'],
      ['fan-out max', ms(s.fanout.maxMs), ms(r.fanout.maxMs), ''],
      ['broadcasts / deliveries timed', `${s.broadcasts} / ${s.fanout.deliveries}`, String(r.fanout.deliveries), '≥ 1,000 broadcasts'],
      ['opponents’ moves / refused', `${s.botMoves} / ${s.botRefused}`, '', 'refused: 0 (a stalled board lightens the load)'],
      [p.serverProcesses > 1 ? `CPU per message, ${p.serverProcesses} processes` : 'server CPU per message', us(cpu.simul), us(cpu.raw), `≤ 1.2× raw: ${cpu.ratio}× ${mark(cpu.ratio <= 1.2)}`],
      ['board updates / s per spectator', s.fanout.updatesPerSec.toFixed(1), r.fanout.updatesPerSec.toFixed(1), ''],
      ['messages / s per spectator', s.fanout.messagesPerSec.toFixed(1), r.fanout.messagesPerSec.toFixed(1), ''],
      ['bytes per message (JSON)', s.fanout.bytesPerMessage.toFixed(0), r.fanout.bytesPerMessage.toFixed(0), `board:update ${s.payloadBytes} B`],
      ['event loop p50 / p99 / max', loopCell(sl), loopCell(rl), 'median turn'],
      ['event loop p99 outside bursts', quietCell(sl), quietCell(rl), `≤ 20 ms: ${mark(sl.quietP99Ms <= 20)}`],
      ['server CPU / loop busy', `${pct(sl.cpu)} / ${pct(sl.utilisation)}`, `${pct(rl.cpu)} / ${pct(rl.utilisation)}`, ''],
      ['machine busy (every core, every process)', busyCell(line.machineBusy.simul), busyCell(line.machineBusy.raw), 'near 100 %: latency is the queue for a core'],
      ['machine busy turn by turn', s.turns.map((t) => busyCell(t.machineBusy)).join(' · '), r.turns.map((t) => busyCell(t.machineBusy)).join(' · '), 'what moves a pair'],
      ['heap per spectator', kb(s.heapPerSpectatorKB), `${kb(r.heapPerSocketKB)} per socket`, `≤ 6 KB: ${mark(s.heapPerSpectatorKB <= 6)}`],
      ['heap per board', `${kb(s.heapPerBoardKB.total)} (seated ${s.heapPerBoardKB.seated.toFixed(1)} + play ${s.heapPerBoardKB.played.toFixed(1)} in ${s.playedSeconds.toFixed(0)} s)`, '', `≤ 100 KB: ${mark(s.heapPerBoardKB.total <= 100)}`],
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
      ['spectators', 'Simul p50 / p99', 'raw p99', 'ratio (spread) · CPU per message · heap per spectator'],
      ...results.map((result): [string, string, string, string] => {
        const { params, simul, raw } = result;
        const line = resultLine(result);
        return [
          String(params.spectators),
          `${ms(simul.fanout.p50Ms)} / ${ms(simul.fanout.p99Ms)}`,
          ms(raw.fanout.p99Ms),
          `${line.fanout.ratioToRaw}× (${line.fanout.ratioSpread.join('–')}) · ${line.cpuMicrosPerMessage.ratio}× · ${kb(simul.heapPerSpectatorKB)}`,
        ];
      }),
    ]),
  ].join('\n');
}
