/**
 * What one command costs the server apart from chess, sockets and the disk: a room (queue, seat
 * check, core, what to commit, announcement) on the virtual clock, with an instant scripted Judit,
 * instant scripted opponents and a store that keeps nothing. CPU time (process.cpuUsage), which a
 * busy machine disturbs far less than wall time. With --root, another checkout's room runs in the
 * same process, its runs alternating with this one's, after a check that both commit the same.
 *
 *   npm run bench:room [-- --boards 24,100] [--pairs 20] [--runs 7] [--root DIR] [--json]
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Store } from '../../server/store/store.js';
import { root as here } from './processes.js';
import { type Games, ScriptedBrain, scriptGames } from './scripted.js';

/** The modules of one checkout that a room needs, loaded from its own files. */
interface Checkout {
  name: string;
  Room: typeof import('../../server/rooms/room.js').Room;
  Exhibition: typeof import('../../server/exhibition/exhibition.js').Exhibition;
  VirtualClock: typeof import('../../server/clock/virtual.js').VirtualClock;
  parseConfig: typeof import('../../shared/config.js').parseConfig;
  createLogger: typeof import('../../server/log.js').createLogger;
  hashSecret: typeof import('../../server/secrets.js').hashSecret;
}

async function load(name: string, root: string): Promise<Checkout> {
  const from = (file: string) => import(path.join(root, file));
  return {
    name,
    Room: (await from('server/rooms/room.ts')).Room,
    Exhibition: (await from('server/exhibition/exhibition.ts')).Exhibition,
    VirtualClock: (await from('server/clock/virtual.ts')).VirtualClock,
    parseConfig: (await from('shared/config.ts')).parseConfig,
    createLogger: (await from('server/log.ts')).createLogger,
    hashSecret: (await from('server/secrets.ts')).hashSecret,
  };
}

/** A store that keeps nothing; `commit` is shown each commit. */
function nullStore(commit: (c: unknown) => void): Store {
  const none = async () => {};
  return {
    createExhibition: none,
    commit: async (_id, c) => commit(c),
    loadAll: async () => [],
    loadActive: async () => [],
    listActive: async () => [],
    load: async () => null,
    recentEnded: async () => [],
    close: none,
    loadChat: async () => ({ settings: null, messages: [] }),
    appendChat: none,
    deleteChat: none,
    saveChatSettings: none,
    // the one writer: its lease is always its own
    acquireLease: async () => 1,
    renewLease: async () => true,
    releaseLease: none,
    unleasedActive: async () => [],
  };
}

interface Run {
  cpuMicros: number;
  commits: number;
  juditMoves: number;
  /** A digest of every commit, in order: two checkouts that commit the same agree on it. */
  digest: string;
}

/** One exhibition to the end: Judit moves, each opponent answers at once, then resigns at the end of its script. */
async function runRoom(x: Checkout, games: Games, record: boolean): Promise<Run> {
  const boards = games.byTable.length;
  const clock = new x.VirtualClock();
  const exh = new x.Exhibition('room', x.parseConfig({ name: 'Room', boards, thinkSeconds: 0.001, elo: null, resignCp: null }), clock);
  const hash = createHash('sha256');
  let commits = 0;
  const store = nullStore((c) => {
    commits++;
    // a seat's token is random: only whether the commit carries one is compared
    if (record) hash.update(JSON.stringify(c, (key, value) => (key === 'tokenHash' ? true : value)));
  });
  const room = new x.Room(exh, x.hashSecret('host'), new Map(), {
    clock,
    store,
    log: x.createLogger('silent'),
    createBrain: async () => new ScriptedBrain(games.judit),
    mayRun: () => ({ ok: true }),
  }, 1);
  const tokens: string[] = [];
  for (let i = 1; i <= boards; i++) {
    const seat = await room.takeSeat(`Bot ${i}`, `10.0.${i >> 8}.${i & 255}`);
    if (!seat.ok) throw new Error(seat.error.message);
    tokens[seat.table] = seat.token;
  }
  let failure: unknown = null;
  const answer = async (table: number) => {
    const board = exh.board(table)!;
    const script = games.byTable[table - 1];
    if (board.over) return;
    const moved = await room.move(tokens[table], table, board.ply, script[board.ply]);
    if (!moved.ok) failure = new Error(`table ${table}: ${moved.error.message}`);
    else if (board.ply >= script.length && !board.over) await room.resign(tokens[table], table);
  };
  room.subscribe((_room, events) => {
    for (const e of events) if (e.type === 'move' && e.move.by === 'judit') void answer(e.table).catch((error) => (failure = error));
  });
  const before = process.cpuUsage();
  const started = await room.start('host');
  if (!started.ok) throw new Error(started.error.message);
  await clock.run(() => exh.status === 'finished' || failure !== null);
  const used = process.cpuUsage(before);
  await room.dispose();
  if (failure) throw failure;
  let juditMoves = 0;
  for (const b of exh.boards) juditMoves += b.moves.filter((m) => m.by === 'judit').length;
  if (juditMoves !== games.juditMoves) throw new Error(`Judit played ${juditMoves} moves, not ${games.juditMoves}`);
  return { cpuMicros: used.user + used.system, commits, juditMoves, digest: hash.digest('hex') };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      boards: { type: 'string', default: '24,100' },
      pairs: { type: 'string', default: '20' },
      runs: { type: 'string', default: '7' },
      root: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const checkouts = [await load('this', here)];
  if (values.root) checkouts.push(await load(path.resolve(values.root), path.resolve(values.root)));
  const runs = Number(values.runs);
  const points = values.boards.split(',').map(Number);
  // the compiler's warm-up would count against the first point
  const warmUp = scriptGames(Math.max(...points), Number(values.pairs));
  for (const x of checkouts) for (let i = 0; i < 2; i++) await runRoom(x, warmUp, false);
  const results = [];
  for (const boards of points) {
    const games = scriptGames(boards, Number(values.pairs));
    const checks: Run[] = [];
    for (const x of checkouts) checks.push(await runRoom(x, games, true));
    if (checks.some((c) => c.digest !== checks[0].digest || c.commits !== checks[0].commits)) {
      throw new Error(`at ${boards} boards the checkouts commit differently: ${checks.map((c) => `${c.commits} commits ${c.digest.slice(0, 12)}`).join(' vs ')}`);
    }
    const perCommit: number[][] = checkouts.map(() => []);
    for (let i = 0; i < runs; i++) {
      // alternately, so that neither runs on a quieter machine
      for (const [k, x] of checkouts.entries()) {
        const run = await runRoom(x, games, false);
        perCommit[k].push(run.cpuMicros / run.commits);
      }
    }
    for (const [k, x] of checkouts.entries()) {
      const line = {
        checkout: x.name,
        boards,
        commits: checks[0].commits,
        juditMoves: checks[0].juditMoves,
        cpuMicrosPerCommandMedian: Math.round(median(perCommit[k])),
        cpuMicrosPerCommandBest: Math.round(Math.min(...perCommit[k])),
        cpuMicrosPerJuditMove: Math.round((median(perCommit[k]) * checks[0].commits) / checks[0].juditMoves),
      };
      results.push(line);
      if (!values.json) {
        console.log(
          `${x.name}: ${boards} boards, ${line.commits} commands: ${line.cpuMicrosPerCommandMedian} µs CPU a command (median of ${runs}, best ${line.cpuMicrosPerCommandBest}), ${line.cpuMicrosPerJuditMove} µs a Judit move`,
        );
      }
    }
  }
  if (values.json) console.log(JSON.stringify(results));
}

await main();
