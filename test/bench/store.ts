/**
 * `npm run bench:store`: what a durable commit costs. Commits shaped like a move's (header, one
 * board, one move) go to a SQLite file on disk with `synchronous` FULL (the default: an
 * acknowledged move survives a power cut) and NORMAL (it survives a killed process only), each
 * grouped (commits of one tick share a transaction) and one by one, all in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../shared/config.js';
import { Exhibition } from '../../server/exhibition/exhibition.js';
import { type SqliteOptions, SqliteStore } from '../../server/store/sqlite.js';

const EXHIBITIONS = 32;
const SECONDS = 2;

/** Commits a second with `concurrent` exhibitions committing at once, round after round, for SECONDS. */
async function measure(options: SqliteOptions, concurrent: number): Promise<number> {
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
    }
    return (commits / (performance.now() - started)) * 1000;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`commits a second to a file in ${tmpdir()}, ${SECONDS} s each`);
  console.log('synchronous  grouping      1 at once   32 at once');
  for (const synchronous of ['NORMAL', 'FULL'] as const) {
    for (const groupCommit of [false, true]) {
      const one = await measure({ synchronous, groupCommit }, 1);
      const many = await measure({ synchronous, groupCommit }, EXHIBITIONS);
      const label = `${synchronous.padEnd(11)}  ${(groupCommit ? 'grouped' : 'one by one').padEnd(10)}`;
      console.log(`${label}  ${one.toFixed(0).padStart(9)}  ${many.toFixed(0).padStart(11)}`);
    }
  }
}

await main();
