/**
 * `npm run bench`: the real server under bot opponents and spectators over real sockets, against
 * bare servers of its transports in the same run (`ws` for the spectators, socket.io for the
 * players); the server's event-loop delay and heap; and the exhibition core's own speed against chess.js. Every socket goes to 127.0.0.1; the run stops by itself.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { CoreLoopCommands, CoreLoopResult } from './commands.js';
import { killAll, start } from './processes.js';
import { type BenchResult, GOALS, resultLine, sweepTable, table } from './report.js';
import { measurePoint, type PointParams } from './run.js';

const usage = `usage: npm run bench -- [--boards 200] [--exhibitions 5] [--spectators 2000] [--seconds 8] [--pairs 9]
                         [--think-ms 250] [--bot-ms 2000] [--processes 2] [--server-processes 1]
                         [--json] [--sweep] [--raw-frames-once] [--cpu-prof DIR] [--heap-snapshot DIR]
  --exhibitions    the boards and the spectators are shared out over this many exhibitions
  --seconds        measured seconds of each of Simul's turns (the raw server replays each turn)
  --pairs          turns of each server, interleaved: Simul, raw, Simul, raw, … (more, up to three
                   times as many, until they carry 1,000 broadcasts)
  --server-processes  server processes (Simul's, and the raw server's alike) sharing Redis through
                   socket.io's Redis streams adapter (TEST_REDIS_URL) and, for Simul, a fresh PostgreSQL
                   database (TEST_DATABASE_URL); the spectators are spread over them
  --sweep          fan-out for 500, 1,000, 2,000 and 4,000 spectators (one line each with --json)
  --raw-frames-once  the raw server frames each spectators' frame once and writes the same bytes to
                   every socket (the frames due together to a room in one write), as Simul's feed
                   does, where it calls ws's send for each socket by default
  --cpu-prof DIR   write CPU profiles of the server and of the raw server (of each process, with several) during their first measured turns to DIR
                   (the format of node --cpu-prof; open it in Chrome DevTools)
  --heap-snapshot DIR  write heap snapshots of the server with half and all of the spectators
                   watching (before play) to DIR: what the second half added is theirs`;

const SWEEP = [500, 1000, 2000, 4000];
const MAX_SPECTATORS = 8000;

function whole(value: string | undefined, fallback: number, name: string, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be a whole number from 1 to ${max}, not "${value}"`);
  return n;
}

/** The machine, and how busy it is with other work: figures on a shared machine swing with it. */
function machine(): string {
  const cpus = os.cpus();
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  let pressure = '';
  try {
    // the share of the last 10 s in which some runnable task waited for a CPU
    const some = /some avg10=([\d.]+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    if (some) pressure = `, CPU pressure ${some[1]} %`;
  } catch {
    // not Linux, or no pressure stall information
  }
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load ${load}${pressure}`;
}

async function coreLoop(boards: number): Promise<CoreLoopResult> {
  const child = start<CoreLoopCommands>('core loop', 'test/bench/core-loop.ts');
  try {
    // at least 2,000 of Judit's moves a run, whatever the number of boards
    const movePairs = Math.min(40, Math.max(10, Math.ceil(2000 / boards)));
    return await child.remote.ask('run', { boards, movePairs, runs: 5 }, 600_000);
  } finally {
    await child.stop();
  }
}

async function point(params: PointParams, core: CoreLoopResult): Promise<BenchResult> {
  const { simul, raw } = await measurePoint(params);
  return { params, simul, raw, core };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      boards: { type: 'string' },
      exhibitions: { type: 'string' },
      pairs: { type: 'string' },
      spectators: { type: 'string' },
      seconds: { type: 'string' },
      'think-ms': { type: 'string' },
      'bot-ms': { type: 'string' },
      processes: { type: 'string' },
      'server-processes': { type: 'string' },
      json: { type: 'boolean', default: false },
      sweep: { type: 'boolean', default: false },
      'raw-frames-once': { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      'heap-snapshot': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void console.log(usage);
  const json = values.json;
  const boards = whole(values.boards, 200, 'boards', 1000);
  const params: PointParams = {
    boards,
    exhibitions: whole(values.exhibitions, Math.min(5, boards), 'exhibitions', boards),
    spectators: whole(values.spectators, 2000, 'spectators', MAX_SPECTATORS),
    seconds: whole(values.seconds, 8, 'seconds', 300),
    pairs: whole(values.pairs, 9, 'pairs', 20),
    thinkMs: whole(values['think-ms'], 250, 'think-ms', 10_000),
    botMs: whole(values['bot-ms'], 2000, 'bot-ms', 60_000),
    processes: whole(values.processes, 2, 'processes', 16),
    serverProcesses: whole(values['server-processes'], 1, 'server-processes', 8),
    rawFramesOnce: values['raw-frames-once'],
    cpuProfDir: values['cpu-prof'] ?? null,
    heapSnapshotDir: values['heap-snapshot'] ?? null,
    log: (line) => (json ? console.error(line) : console.log(line)),
  };
  const points = values.sweep ? SWEEP : [params.spectators];
  // a bound on the whole run: joining, warming up and every turn of every point, and the core loop
  const turnMs = 3 * params.pairs * 2 * (params.seconds * 1000 + 15_000);
  const budgetMs = (120_000 + points.length * (480_000 + turnMs)) * (params.spectators > 4000 ? 2 : 1);
  const watchdog = setTimeout(() => {
    console.error(`the bench took longer than ${Math.round(budgetMs / 1000)} s: stopped`);
    killAll();
    process.exit(1);
  }, budgetMs);
  watchdog.unref();

  params.log(machine());
  params.log(`core loop: ${params.boards} boards on the virtual clock`);
  const core = await coreLoop(params.boards);
  const results: BenchResult[] = [];
  for (const spectators of points) {
    const result = await point({ ...params, spectators }, core);
    results.push(result);
    if (json) console.log(JSON.stringify(resultLine(result)));
    else console.log(`\n${table(result, machine())}\n`);
  }
  if (values.sweep && !json) console.log(sweepTable(results));
  if (!json) console.log(`goals: ${GOALS}`);
  clearTimeout(watchdog);
}

process.on('SIGINT', () => {
  killAll();
  process.exit(130);
});
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    console.error(usage);
    killAll();
    process.exit(2);
  },
);
