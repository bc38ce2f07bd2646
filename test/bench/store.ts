/**
 * `npm run bench:store`: what a durable commit costs. Commits shaped like a move's (header, one
 * board, one move) go to a SQLite file on disk with `synchronous` FULL (the default: an
 * acknowledged move survives a power cut) and NORMAL (it survives a killed process only), each
 * grouped (commits of one tick share a transaction) and one by one, all in the same run. While it
 * commits it watches the event loop, as the server would feel it: the loop's delay p99, and what a
 * commit costs the loop (its busy time) and the whole process (CPU, every thread).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseConfig } from '../../shared/config.js';
import { Exhibition } from '../../server/exhibition/exhibition.js';
import { type SqliteOptions, SqliteStore } from '../../server/store/sqlite.js';

const EXHIBITIONS = 32;
const SECONDS = 2;

interface Figures {
  commitsPerSecond: number;
  loopDelayP99Ms: number;
  /** The event loop's busy time a commit. */
  loopUsPerCommit: number;
  /** CPU a commit, every thread of the process. */
  cpuUsPerCommit: number;
}

/** What `concurrent` exhibitions committing at once, round after round for SECONDS, cost. */
async function measure(options: SqliteOptions, concurrent: number): Promise<Figures> {
  const dir = mkdtempSync(path.join(tmpdir(), 'simul-bench-store-'));
  const store = new SqliteStore(path.join(dir, 'simul.db'), options);
  try {
    const config = parseConfig({ name: 'Bench', boards: 1 });
    const exhibitions: Exhibition[] = [];
    for (let i = 0; i < EXHIBITIONS; i++) {
      const exh = new Exhibition(`b${i}`, config, { now: () => Date.now() });
      exh.takeSeat('Ann');
      await store.createExhibition(exh.id, exh.createdAt, 'h', exh.header());
      await store.acquireLease(exh.id, 'bench', 60_000);
      exhibitions.push(exh);
    }
    let commits = 0;
    let ply = 0;
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const loopBefore = performance.eventLoopUtilization();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    while (performance.now() - started < SECONDS * 1000) {
      ply++;
      await Promise.all(
        exhibitions.slice(0, concurrent).map((exh) =>
          store.commit(exh.id, {
            header: exh.header(),
            boards: [{ state: exh.board(1)!.state() }],
            removedBoards: [],
            moves: [{ table: 1, move: { ply, uci: 'e2e4', san: 'e4', by: 'opponent', readyAt: 0, startedAt: 0, movedAt: 1 } }],
          }, 1),
        ),
      );
      commits += concurrent;
      // the loop turns between rounds, as a server's does between commands: a store that answers at once would never let it
      await new Promise((resolve) => setImmediate(resolve));
    }
    const elapsedMs = performance.now() - started;
    delay.disable();
    const cpu = process.cpuUsage(cpuBefore);
    const loop = performance.eventLoopUtilization(loopBefore);
    return {
      commitsPerSecond: (commits / elapsedMs) * 1000,
      loopDelayP99Ms: delay.percentile(99) / 1e6,
      loopUsPerCommit: (loop.active * 1000) / commits,
      cpuUsPerCommit: (cpu.user + cpu.system) / commits,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`commits to a file in ${tmpdir()}, ${SECONDS} s each; the loop and CPU figures with ${EXHIBITIONS} at once`);
  console.log('synchronous  grouping    commits/s: 1 at once  32 at once   loop p99 ms  loop µs/commit  CPU µs/commit');
  for (const synchronous of ['NORMAL', 'FULL'] as const) {
    for (const groupCommit of [false, true]) {
      const one = await measure({ synchronous, groupCommit }, 1);
      const many = await measure({ synchronous, groupCommit }, EXHIBITIONS);
      const label = `${synchronous.padEnd(11)}  ${(groupCommit ? 'grouped' : 'one by one').padEnd(10)}`;
      const figures = [
        one.commitsPerSecond.toFixed(0).padStart(20),
        many.commitsPerSecond.toFixed(0).padStart(11),
        many.loopDelayP99Ms.toFixed(1).padStart(13),
        many.loopUsPerCommit.toFixed(0).padStart(15),
        many.cpuUsPerCommit.toFixed(0).padStart(14),
      ];
      console.log(`${label}  ${figures.join('')}`);
    }
  }
}

await main();
