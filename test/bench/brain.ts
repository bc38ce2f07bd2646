/**
 * How Judit's Stockfish brain performs: time to ready, speed, how true she keeps to her think time,
 * and how little her thinking disturbs the event loop that serves every socket.
 *
 *   npm run bench:brain [-- --json] [-- --think-ms 250 --moves 24 --boards 4]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Chess } from 'chess.js';
import { STANDARD_FEN } from '../../shared/chess.js';
import { parseConfig } from '../../shared/config.js';
import { seededRandom } from '../../server/judit/fast-brain.js';
import { StockfishBrain } from '../../server/judit/stockfish-brain.js';

interface Result {
  engine: string;
  readyMs: number;
  nps: number;
  thinkRatio: number;
  eventLoopP99Ms: number;
  rssMB: number;
}

/** The same event-loop measure with Judit idle: what the machine itself adds. */
let idleP99Ms = 0;

const args = process.argv.slice(2);
const json = args.includes('--json');
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  const value = i === -1 ? fallback : Number(args[i + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} wants a positive number`);
  return value;
};
const thinkMs = option('think-ms', 250);
const moveCount = Math.max(20, Math.round(option('moves', 24)));
const boardCount = Math.round(option('boards', 4));
const npsMs = option('nps-ms', 1000);

/** Resident memory of a process in MB (Linux /proc, else `ps`). */
function rssMB(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (match) return Number(match[1]) / 1024;
  } catch {
    // not Linux: ask ps
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main(): Promise<Result> {
  let engine = 'Stockfish';
  const brain = new StockfishBrain({
    onLine: (line) => {
      if (line.startsWith('id name ')) engine = line.slice('id name '.length);
    },
  });
  const signal = new AbortController().signal;
  try {
    await brain.start();
    const readyMs = brain.stats.readyMs ?? NaN;

    const idle = monitorEventLoopDelay({ resolution: 1 });
    idle.enable();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    idle.disable();
    idleP99Ms = idle.percentile(99) / 1e6;

    await brain.think({ startFen: STANDARD_FEN, moves: [], fen: STANDARD_FEN, thinkMs: npsMs, elo: null, signal });
    const nps = brain.stats.lastSearch?.nps ?? 0;

    // a small exhibition: Judit moves on each board in turn; each opponent answers at once
    const { elo } = parseConfig({ boards: boardCount });
    const random = seededRandom(1, 'bench');
    const boards = Array.from({ length: boardCount }, () => ({ chess: new Chess(), moves: [] as string[] }));
    const ratios: number[] = [];
    let rss = 0;
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    for (let i = 0; ratios.length < moveCount; i++) {
      const board = boards[i % boards.length];
      const began = performance.now();
      const thought = await brain.think({
        startFen: STANDARD_FEN,
        moves: board.moves,
        fen: board.chess.fen(),
        thinkMs,
        elo,
        signal,
      });
      ratios.push((performance.now() - began) / thinkMs);
      rss = Math.max(rss, rssMB(brain.pid ?? 0));
      const play = (uci: string) => {
        board.chess.move({ from: uci.slice(0, 2), to: uci.slice(2, 4), promotion: uci[4] });
        board.moves.push(uci);
      };
      play(thought.move);
      const replies = board.chess.moves({ verbose: true });
      if (replies.length) {
        const reply = replies[Math.floor(random() * replies.length)];
        play(reply.from + reply.to + (reply.promotion ?? ''));
      }
      if (board.chess.isGameOver()) {
        board.chess = new Chess();
        board.moves = [];
      }
    }
    loop.disable();

    return {
      engine,
      readyMs: Math.round(readyMs),
      nps,
      thinkRatio: Math.round(median(ratios) * 1000) / 1000,
      eventLoopP99Ms: Math.round((loop.percentile(99) / 1e6) * 100) / 100,
      rssMB: Math.round(rss * 10) / 10,
    };
  } finally {
    await brain.close();
  }
}

const result = await main();
if (json) {
  console.log(JSON.stringify(result));
} else {
  const rows: [string, string, string][] = [
    ['engine', result.engine, 'child process'],
    ['ready (spawn to readyok)', `${result.readyMs} ms`, ''],
    ['speed from the start position', `${Math.round(result.nps / 1000)} kN/s`, `${npsMs} ms search`],
    ['think time, measured / set', result.thinkRatio.toFixed(3), `0.9–1.1 (median of ${moveCount} moves at ${thinkMs} ms)`],
    ['event-loop delay p99', `${result.eventLoopP99Ms} ms`, `≤ 20 ms, while Judit thinks non-stop (idle: ${idleP99Ms.toFixed(2)} ms)`],
    ['engine memory (RSS)', `${result.rssMB} MB`, ''],
  ];
  const widths = [0, 1].map((c) => Math.max(...rows.map((r) => r[c].length)));
  console.log(`Judit's brain on ${boardCount} boards\n`);
  for (const [name, value, note] of rows) console.log(`  ${name.padEnd(widths[0])}  ${value.padStart(widths[1])}  ${note}`);
}
