/**
 * One measured point: the real server under bot opponents and spectators, and bare servers of its
 * transports (`ws` for the spectators' feed, socket.io for the players) with as many sockets
 * replaying the real server's broadcasts, measured in turns (Simul, raw,
 * Simul, raw, …) so that both see the same moods of a shared machine. Every process runs on this
 * host and every socket goes to 127.0.0.1.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, CreatedExhibition, ServerToClientEvents } from '../../shared/protocol.js';
import type {
  Broadcast,
  BotCommands,
  HeapFigures,
  LoopFigures,
  ProbeCommands,
  RawServerCommands,
  SentMove,
  SpectatorCommands,
} from './commands.js';
import { Histogram } from './histogram.js';
import { start, type Started } from './processes.js';
import { dropDatabase, dropRedisKeys, freshDatabase, REDIS_URL } from '../services.js';
import { UNLIMITED_ENV } from '../unlimited.js';

export interface PointParams {
  /** Boards in all, shared out over `exhibitions` exhibitions; the spectators too. */
  boards: number;
  exhibitions: number;
  spectators: number;
  /** Seconds of measured load in each of the real server's turns. */
  seconds: number;
  /** Turns of each server: Simul, raw, Simul, raw, … (more if they carry under 1,000 broadcasts) */
  pairs: number;
  /** Judit's think time and the bots' (each bot takes half to one and a half times it). */
  thinkMs: number;
  botMs: number;
  /** Processes the spectators are spread over (at least one per server process). */
  processes: number;
  /**
   * Server processes, Simul's and the raw server's alike: past one they share Redis (socket.io's
   * Redis streams adapter) and Simul's processes a fresh PostgreSQL database; the spectators are
   * spread over them, and the players, the host and the raw replay are at the first.
   */
  serverProcesses: number;
  /** The raw server frames each spectators' frame once and writes the same bytes to every socket, as Simul's feed does. */
  rawFramesOnce: boolean;
  /** Where the server under test writes a CPU profile of its first measured turn, if anywhere. */
  cpuProfDir: string | null;
  /** Where it writes heap snapshots with half and all of the spectators watching, before play, if anywhere. */
  heapSnapshotDir: string | null;
  log: (line: string) => void;
}

export interface Fanout {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  deliveries: number;
  /** Broadcasts per second, as the spectators counted them. */
  updatesPerSec: number;
  /** Every message a spectator got, per second, and its JSON bytes per message. */
  messagesPerSec: number;
  bytesPerMessage: number;
  /** Deliveries timed before they were sent (the two clocks disagree): should be 0. */
  negative: number;
  disconnects: number;
}

/** One server's measured turn. */
export interface Turn {
  fanout: Fanout;
  loop: LoopFigures;
  /** Messages the spectators received, of every kind. */
  messages: number;
  /**
   * The share of the machine's cores busy over the turn (every process: the server, the clients,
   * anything else), null where /proc/stat is not there. Near 1, the cores are saturated and
   * latency measures the queue for them.
   */
  machineBusy: number | null;
  /**
   * For each board:update the server itself sent to spectators (the first process's), ms from its
   * sentAt to its write to the last of them: the fan-out as the server did it, without the
   * spectators' processes' part.
   */
  sendSpans: number[];
}

export interface SimulFigures {
  turns: Turn[];
  /** Every turn's deliveries together. */
  fanout: Fanout;
  /** board:updates the spectators' exhibitions were sent over all turns: the broadcasts timed. */
  broadcasts: number;
  heap: { idle: HeapFigures; seated: HeapFigures; watched: HeapFigures; played: HeapFigures };
  heapPerSpectatorKB: number;
  heapPerBoardKB: { seated: number; played: number; total: number };
  /** Seconds the exhibitions were playing in the first turn, after which the heap per board was taken. */
  playedSeconds: number;
  payloadBytes: number;
  botMoves: number;
  /** The opponents' moves the server refused: each leaves a board stalled, a lighter workload than play. */
  botRefused: number;
}

export interface RawFigures {
  turns: Turn[];
  fanout: Fanout;
  sockets: number;
  heapPerSocketKB: number;
}

const KB = 1024;
/** Board updates a point times at the least, if the turns asked for are not enough. */
const MIN_BROADCASTS = 1000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** The real server's first turn starts Judit; the later ones resume her. Time to get going, unmeasured. */
const WARM_FIRST_MS = 3000;
const WARM_MS = 1500;

function spread(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0)).filter((n) => n > 0);
}

/**
 * The load: the opponents (Simul's bots, the bare server's players) and the spectators, the same
 * processes for both servers, so that whatever one process's run does to its speed (its collector's
 * pace, its compiled code) weighs on both servers' turns alike.
 */
interface Clients {
  players: Started<BotCommands>;
  spectators: Started<SpectatorCommands>[];
}

function startClients(p: PointParams): Clients {
  const n = Math.max(p.processes, p.serverProcesses);
  return {
    players: start<BotCommands>('players', 'test/bench/bots.ts'),
    spectators: Array.from({ length: n }, (_, i) => start<SpectatorCommands>(`spectators ${i + 1}`, 'test/bench/spectators.ts')),
  };
}

async function closeClients({ players, spectators }: Clients): Promise<void> {
  await Promise.allSettled([...spectators.map((s) => s.remote.ask('close', {}, 60_000)), players.remote.ask('close', {}, 60_000)]);
  await Promise.all([players.stop(), ...spectators.map((s) => s.stop())]);
}

/** What several server processes share: a Redis prefix, and for Simul a database, of this run alone. */
async function sharedServices(p: PointParams, withDatabase: boolean): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (p.serverProcesses === 1) return { env: {}, drop: async () => {} };
  const prefix = `simul_bench_${process.pid}_${Date.now()}:`;
  const database = withDatabase ? await freshDatabase('simul_bench') : null;
  return {
    env: { REDIS_URL, REDIS_PREFIX: prefix, ...(database ? { DATABASE_URL: database.url } : {}) },
    async drop() {
      await dropRedisKeys(prefix);
      if (database) await dropDatabase(database.name);
    },
  };
}

/** Every server process's loop figures as one: the first's delays, everyone's CPU together. */
async function loopOf(servers: Started<ProbeCommands | RawServerCommands>[]): Promise<LoopFigures> {
  const all = await Promise.all(servers.map((s) => s.remote.ask('loop', {})));
  const sum = (of: (l: LoopFigures) => number) => all.reduce((n, l) => n + of(l), 0);
  return { ...all[0], cpu: sum((l) => l.cpu), cpuMicros: sum((l) => l.cpuMicros), frames: sum((l) => l.frames), sharedFrames: sum((l) => l.sharedFrames) };
}

const loopResetAll = (servers: Started<ProbeCommands | RawServerCommands>[]) => Promise.all(servers.map((s) => s.remote.ask('loopReset', {})));

/** Ends the CPU profiles under way in `servers` and writes them to `dir`. */
async function writeProfiles(servers: Started<ProbeCommands | RawServerCommands>[], dir: string, name: string, log: (line: string) => void): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const [i, s] of servers.entries()) {
    const which = servers.length > 1 ? `-process${i + 1}` : '';
    const file = path.join(dir, `${name}${which}-${Date.now()}.cpuprofile`);
    await s.remote.ask('profileStop', { path: file }, 120_000);
    log(`  CPU profile of the measured window: ${file}`);
  }
}

/** The machine's CPU time so far, busy and in all (jiffies, every core), from /proc/stat; null elsewhere. */
function machineTime(): { busy: number; total: number } | null {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = cpu.reduce((sum, n) => sum + n, 0);
    // idle and iowait
    return { busy: total - cpu[3] - (cpu[4] ?? 0), total };
  } catch {
    return null;
  }
}

/** What the spectators received over one turn. */
interface Received {
  latency: Histogram;
  updates: number;
  messages: number;
  bytes: number;
  disconnects: number;
  seconds: number;
  machineBusy: number | null;
}

/**
 * One turn's deliveries and the servers' figures over it. The servers' window lies inside the
 * spectators' (reset after they start counting, read before they stop), so that every frame a
 * server sends in it is a message the spectators count. With `profile`, a CPU profile of the
 * servers' window too.
 */
async function receive(
  spectators: Started<SpectatorCommands>[],
  servers: Started<ProbeCommands | RawServerCommands>[],
  profile: { dir: string; name: string; log: (line: string) => void } | null,
  run: () => Promise<void>,
): Promise<{ got: Received; loop: LoopFigures }> {
  await Promise.all(spectators.map((s) => s.remote.ask('measure', { on: true })));
  const began = performance.now();
  const machineBefore = machineTime();
  await loopResetAll(servers);
  if (profile) await Promise.all(servers.map((s) => s.remote.ask('profileStart', {})));
  await run();
  const loop = await loopOf(servers);
  const seconds = (performance.now() - began) / 1000;
  const machineAfter = machineTime();
  await Promise.all(spectators.map((s) => s.remote.ask('measure', { on: false })));
  if (profile) await writeProfiles(servers, profile.dir, profile.name, profile.log);
  const reports = await Promise.all(spectators.map((s) => s.remote.ask('report', {})));
  const latency = new Histogram();
  const machineBusy =
    machineBefore && machineAfter ? (machineAfter.busy - machineBefore.busy) / Math.max(1, machineAfter.total - machineBefore.total) : null;
  const got = { latency, updates: 0, messages: 0, bytes: 0, disconnects: 0, seconds, machineBusy };
  for (const r of reports) {
    latency.add(r.latency);
    got.updates += r.updates;
    got.messages += r.messages;
    got.bytes += r.bytes;
    got.disconnects += r.disconnects;
  }
  return { got, loop };
}

/** The figures of one or more turns' deliveries together. */
function fanoutOf(turns: Received[], audience: number): Fanout {
  const latency = new Histogram();
  let updates = 0;
  let messages = 0;
  let bytes = 0;
  let disconnects = 0;
  let seconds = 0;
  for (const t of turns) {
    latency.add(t.latency.toJSON());
    updates += t.updates;
    messages += t.messages;
    bytes += t.bytes;
    disconnects += t.disconnects;
    seconds += t.seconds;
  }
  return {
    p50Ms: latency.quantile(0.5),
    p99Ms: latency.quantile(0.99),
    maxMs: latency.max,
    deliveries: latency.count,
    updatesPerSec: updates / audience / seconds,
    messagesPerSec: messages / audience / seconds,
    bytesPerMessage: messages ? bytes / messages : 0,
    negative: latency.negative,
    disconnects,
  };
}

/** One turn's figures; the spectators' count of messages over their window checks the servers' frames. */
const turnOf = (got: Received, loop: LoopFigures, audience: number, sendSpans: number[]): Turn => ({
  fanout: fanoutOf([got], audience),
  loop,
  sendSpans,
  messages: got.messages,
  machineBusy: got.machineBusy,
});

/**
 * A turn of Simul's, for the bare servers to replay: the broadcasts as the server recorded them, in
 * the order they went out, and the moves the bots sent meanwhile, each ms from the first broadcast.
 */
interface Played {
  broadcasts: Broadcast[];
  moves: SentMove[];
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

type Host = Socket<ServerToClientEvents, ClientToServerEvents>;

async function hostCommand(host: Host, event: 'host:start' | 'host:pause' | 'host:resume', id: string, hostKey: string): Promise<void> {
  const answer = await host.timeout(30_000).emitWithAck(event, { id, hostKey });
  if (!answer.ok) throw new Error(`${event}: ${answer.error.message}`);
}

/** The real server (server/main.ts, fast brain) with its exhibitions seated and watched, paused between turns. */
async function openSimul(p: PointParams, { players: bots, spectators }: Clients) {
  const shared = await sharedServices(p, true);
  const servers = Array.from({ length: p.serverProcesses }, (_, i) =>
    start<ProbeCommands>(p.serverProcesses > 1 ? `server ${i + 1}` : 'server', 'server/main.ts', {
      nodeArgs: ['--expose-gc'],
      preload: ['./test/bench/server-probe.ts'],
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        SIMUL_BRAIN: 'fast',
        LOG_LEVEL: 'info',
        DATA_DIR: mkdtempSync(path.join(tmpdir(), 'simul-bench-')),
        MAX_RUNNING: '1000',
        HOUSE_BOARDS: p.serverProcesses > 1 ? '0' : '8',
        ...UNLIMITED_ENV,
        ...shared.env,
      },
    }),
  );
  // the first runs the exhibitions; the heap is its alone, a CPU profile every process's
  const server = servers[0];
  let host: Host | null = null;
  const close = async () => {
    host?.disconnect();
    await Promise.all(servers.map((s) => s.stop(30_000)));
    await shared.drop();
  };
  try {
    const urls = await Promise.all(servers.map(async (s) => `http://127.0.0.1:${(await s.line(/"port":(\d+)/, 30_000))[1]}`));
    const url = urls[0];
    const idle = await server.remote.ask('heap', {});

    const sizes = spread(p.boards, p.exhibitions);
    const exhibitions: (CreatedExhibition & { boards: number })[] = [];
    for (const [i, boards] of sizes.entries()) {
      const created = await json<CreatedExhibition>(`${url}/api/exhibitions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        // Judit never resigns (the fast brain's evaluation is the material count) and the bots never offer draws
        body: JSON.stringify({ name: `Bench ${i + 1}`, boards, seatsPerAddress: boards, thinkSeconds: p.thinkMs / 1000, elo: null, resignCp: null }),
      });
      exhibitions.push({ ...created, boards });
    }
    const ids = exhibitions.map((x) => x.id);
    // the heap per board and per spectator are slopes: what the second half of them added, so that
    // fixed costs (the exhibitions themselves, the code their first players and spectators compile) count for none
    let seatedBoards = 0;
    let halfSeated = idle;
    let firstHalfBoards = 0;
    for (const [i, x] of exhibitions.entries()) {
      await bots.remote.ask('seat', { url, id: x.id, from: seatedBoards + 1, count: x.boards, thinkMs: p.botMs }, 120_000);
      seatedBoards += x.boards;
      if (i === Math.ceil(exhibitions.length / 2) - 1 && i < exhibitions.length - 1) {
        halfSeated = await server.remote.ask('heap', {});
        firstHalfBoards = seatedBoards;
      }
    }
    const seated = await server.remote.ask('heap', {});
    p.log(`  ${p.boards} seats taken in ${p.exhibitions} exhibitions`);

    const firstHalf = Math.ceil(p.spectators / 2);
    const halves = [firstHalf, p.spectators - firstHalf].map((n) => spread(n, spectators.length));
    const joinStart = performance.now();
    const join = (shares: number[]) =>
      Promise.all(shares.map((count, i) => spectators[i].remote.ask('connect', { url: urls[i % urls.length], count, watch: ids }, 600_000)));
    await join(halves[0]);
    await sleep(1000);
    const halfWatched = await server.remote.ask('heap', {});
    const snapshot = async (name: string) => {
      if (!p.heapSnapshotDir) return;
      mkdirSync(p.heapSnapshotDir, { recursive: true });
      const file = path.join(p.heapSnapshotDir, `server-${p.spectators}s-${name}-${Date.now()}.heapsnapshot`);
      await server.remote.ask('heapSnapshot', { path: file }, 600_000);
      p.log(`  heap snapshot: ${file}`);
    };
    await snapshot('half');
    await join(halves[1]);
    p.log(`  ${p.spectators} spectators watching (joined in ${((performance.now() - joinStart) / 1000).toFixed(1)} s)`);
    await sleep(1000);
    const watched = await server.remote.ask('heap', {});
    await snapshot('all');

    host = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      host!.once('connect', resolve);
      host!.once('connect_error', reject);
    });
    const every = (event: 'host:start' | 'host:pause' | 'host:resume') =>
      Promise.all(exhibitions.map((x) => hostCommand(host!, event, x.id, x.hostKey)));

    let turns = 0;
    // the heap after the first turn: per board, what a few moves of play add (the broadcasts kept for
    // recovery among it, which pile up over the recovery window whatever the number of turns)
    let afterPlay: HeapFigures | null = null;
    let played = 0;
    const received: Received[] = [];
    const slope = (to: HeapFigures, from: HeapFigures, base: HeapFigures, all: number, second: number) =>
      (second > 0 ? (to.heapUsed - from.heapUsed) / second : (to.heapUsed - base.heapUsed) / all) / KB;
    return {
      ids,
      /** One measured turn: Judit plays every exhibition for `p.seconds`, then pauses. */
      async turn(): Promise<{ turn: Turn; played: Played }> {
        const first = turns++ === 0;
        const began = performance.now();
        await every(first ? 'host:start' : 'host:resume');
        await sleep(first ? WARM_FIRST_MS : WARM_MS); // Judit under way, every process warm
        const profile = first && p.cpuProfDir ? { dir: p.cpuProfDir, name: `server-${p.boards}b-${p.spectators}s`, log: p.log } : null;
        const { got, loop } = await receive(spectators, servers, profile, () => sleep(p.seconds * 1000));
        await every('host:pause');
        // the bots hold their moves while she pauses: what was under way lands before the other server's turn
        await sleep(500);
        if (first) {
          played = (performance.now() - began) / 1000;
          await sleep(500);
          afterPlay = await server.remote.ask('heap', {});
        }
        received.push(got);
        if (got.updates === 0) throw new Error('no board:update reached the spectators: did Judit move?');
        const { broadcasts, sendSpans } = await server.remote.ask('broadcasts', {}, 60_000);
        const from = broadcasts[0]?.at ?? 0;
        const { moves } = await bots.remote.ask('sentMoves', { from, to: broadcasts.at(-1)?.at ?? from });
        return { turn: turnOf(got, loop, p.spectators, sendSpans), played: { broadcasts: broadcasts.map((b) => ({ ...b, at: b.at - from })), moves } };
      },
      async figures(turns: Turn[], broadcasts: Broadcast[][]): Promise<SimulFigures> {
        if (!afterPlay) throw new Error('no turn was played');
        const { moves: botMoves, refused: botRefused } = await bots.remote.ask('report', {});
        const updates = broadcasts.flatMap((b) => b.filter((m) => m.event === 'board:update'));
        const perBoardSeated = slope(seated, halfSeated, idle, p.boards, p.boards - firstHalfBoards);
        const perBoardPlayed = (afterPlay.heapUsed - watched.heapUsed) / p.boards / KB;
        return {
          turns,
          fanout: fanoutOf(received, p.spectators),
          broadcasts: updates.length,
          heap: { idle, seated, watched, played: afterPlay },
          heapPerSpectatorKB: slope(watched, halfWatched, seated, p.spectators, p.spectators - firstHalf),
          heapPerBoardKB: { seated: perBoardSeated, played: perBoardPlayed, total: perBoardSeated + perBoardPlayed },
          playedSeconds: played,
          payloadBytes: updates.length ? JSON.stringify(updates[0].payload).length : 0,
          botMoves,
          botRefused,
        };
      },
      output: () => server.output(),
      close,
    };
  } catch (error) {
    await close();
    throw new Error(`${error instanceof Error ? error.message : error}\n--- server output ---\n${server.output()}`);
  }
}

/**
 * The bare servers with as many sockets in the same groups, over the same transports: the real
 * server's spectators on plain WebSockets, its players on socket.io.
 */
async function openRaw(p: PointParams, ids: string[], { players, spectators }: Clients) {
  const shared = await sharedServices(p, false);
  const servers = Array.from({ length: p.serverProcesses }, (_, i) =>
    start<RawServerCommands>(p.serverProcesses > 1 ? `raw server ${i + 1}` : 'raw server', 'test/bench/raw-server.ts', {
      nodeArgs: ['--expose-gc'],
      env: { ...shared.env, ...(p.rawFramesOnce ? { RAW_FRAMES_ONCE: '1' } : {}) },
    }),
  );
  // the first replays the broadcasts; through the adapter every one delivers them to its sockets
  const server = servers[0];
  const close = async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await shared.drop();
  };
  try {
    const urls = await Promise.all(servers.map(async (s) => `http://127.0.0.1:${(await s.line(/port (\d+)/, 30_000))[1]}`));
    const url = urls[0];
    const idle = await server.remote.ask('heap', {});
    const shares = spread(p.spectators, spectators.length);
    await Promise.all([
      ...shares.map((count, i) => spectators[i].remote.ask('connect', { url: urls[i % urls.length], count, watch: ids }, 600_000)),
      players.remote.ask('follow', { url, count: p.boards, watch: ids }, 120_000),
    ]);
    const sockets = (await Promise.all(servers.map((s) => s.remote.ask('sockets', {})))).reduce((sum, s) => sum + s.sockets, 0);
    await sleep(1000);
    const connected = await server.remote.ask('heap', {});
    p.log(`  raw ws + socket.io: ${sockets} sockets`);
    const received: Received[] = [];
    return {
      sockets,
      heapPerSocketKB: (connected.heapUsed - idle.heapUsed) / sockets / KB,
      /** One measured turn: the real server's last turn, its broadcasts and the players' moves, replayed. */
      async turn({ broadcasts, moves }: Played): Promise<Turn> {
        const first = received.length === 0;
        const profile = first && p.cpuProfDir ? { dir: p.cpuProfDir, name: `raw-${p.boards}b-${p.spectators}s`, log: p.log } : null;
        // warm, as Simul's turn is by the play before its window: the first time the whole turn (its
        // server and spectators' processes start cold), then the turn's first moments; unmeasured
        const replay = (played: Played) =>
          Promise.all([
            server.remote.ask('broadcast', { messages: played.broadcasts }, (p.seconds + 60) * 1000),
            players.remote.ask('replay', { moves: played.moves }, (p.seconds + 60) * 1000),
          ]);
        const early = <T extends { at: number }>(all: T[]) => (first ? all : all.filter((m) => m.at < WARM_MS));
        await replay({ broadcasts: early(broadcasts), moves: early(moves) });
        await sleep(500);
        const { got, loop } = await receive(spectators, servers, profile, async () => {
          await replay({ broadcasts, moves });
          await sleep(500); // the last broadcast's deliveries
        });
        received.push(got);
        const { sendSpans } = await server.remote.ask('broadcasts', {}, 60_000);
        return turnOf(got, loop, p.spectators, sendSpans);
      },
      fanout: () => fanoutOf(received, p.spectators),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Both servers, their turns interleaved: Simul, raw, Simul, raw, … */
export async function measurePoint(p: PointParams): Promise<{ simul: SimulFigures; raw: RawFigures }> {
  const clients = startClients(p);
  try {
    p.log(`Simul: ${p.boards} boards in ${p.exhibitions} exhibitions, ${p.spectators} spectators`);
    const simul = await openSimul(p, clients);
    try {
      p.log(`raw ws + socket.io: ${p.spectators} + ${p.boards} sockets`);
      const raw = await openRaw(p, simul.ids, clients);
      try {
        const simulTurns: Turn[] = [];
        const rawTurns: Turn[] = [];
        const broadcasts: Broadcast[][] = [];
        const timed = () => broadcasts.reduce((n, turn) => n + turn.filter((m) => m.event === 'board:update').length, 0);
        // a busy machine slows the play down: more turns then, up to three times as many, for enough broadcasts
        for (let pair = 1; pair <= p.pairs || (timed() < MIN_BROADCASTS && pair <= 3 * p.pairs); pair++) {
          p.log(`  turn ${pair} of ${p.pairs}${pair > p.pairs ? ` (${timed()} broadcasts so far)` : ''}: Simul ${p.seconds} s, then the raw servers replaying it`);
          const s = await simul.turn();
          simulTurns.push(s.turn);
          broadcasts.push(s.played.broadcasts);
          rawTurns.push(await raw.turn(s.played));
        }
        return {
          simul: await simul.figures(simulTurns, broadcasts),
          raw: { turns: rawTurns, fanout: raw.fanout(), sockets: raw.sockets, heapPerSocketKB: raw.heapPerSocketKB },
        };
      } finally {
        await raw.close();
      }
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : error}\n--- server output ---\n${simul.output()}`);
    } finally {
      await simul.close();
    }
  } finally {
    await closeClients(clients);
  }
}
