/**
 * One measured point: the real server under N bot opponents and K spectators, then a bare socket.io
 * server broadcasting the same payload at the same rate to as many sockets. Every process runs on
 * this host and every socket goes to 127.0.0.1.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, CreatedExhibition, ServerToClientEvents } from '../../shared/protocol.js';
import type {
  BoardUpdate,
  BotCommands,
  HeapFigures,
  LoopFigures,
  ProbeCommands,
  RawServerCommands,
  SpectatorCommands,
  SpectatorReport,
} from './commands.js';
import { Histogram } from './histogram.js';
import { start, type Started } from './processes.js';
import { UNLIMITED_ENV } from '../unlimited.js';

export interface PointParams {
  boards: number;
  spectators: number;
  /** Seconds of measured load in each half. */
  seconds: number;
  /** Judit's think time and the bots' (each bot takes half to one and a half times it). */
  thinkMs: number;
  botMs: number;
  /** Processes the spectators are spread over. */
  processes: number;
  /** Where the server under test writes a CPU profile of the measured window, if anywhere. */
  cpuProfDir: string | null;
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

export interface SimulFigures {
  fanout: Fanout;
  loop: LoopFigures;
  heap: { idle: HeapFigures; seated: HeapFigures; watched: HeapFigures; played: HeapFigures };
  heapPerSpectatorKB: number;
  heapPerBoardKB: { seated: number; played: number; total: number };
  payloadBytes: number;
  sample: BoardUpdate;
  /** When the board:updates went out, ms from the first: the raw server replays it. */
  schedule: number[];
  botMoves: number;
}

export interface RawFigures {
  fanout: Fanout;
  loop: LoopFigures;
  sockets: number;
  heapPerSocketKB: number;
}

const KB = 1024;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function spread(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0)).filter((n) => n > 0);
}

async function startSpectators(n: number): Promise<Started<SpectatorCommands>[]> {
  return Array.from({ length: n }, (_, i) => start<SpectatorCommands>(`spectators ${i + 1}`, 'test/bench/spectators.ts'));
}

async function measureFanout(
  spectators: Started<SpectatorCommands>[],
  audience: number,
  run: () => Promise<void>,
): Promise<{ fanout: Fanout; reports: SpectatorReport[] }> {
  await Promise.all(spectators.map((s) => s.remote.ask('measure', { on: true })));
  const began = performance.now();
  await run();
  const elapsed = (performance.now() - began) / 1000;
  await Promise.all(spectators.map((s) => s.remote.ask('measure', { on: false })));
  const reports = await Promise.all(spectators.map((s) => s.remote.ask('report', {})));
  const latency = new Histogram();
  let updates = 0;
  let messages = 0;
  let bytes = 0;
  let disconnects = 0;
  for (const r of reports) {
    latency.add(r.latency);
    updates += r.updates;
    messages += r.messages;
    bytes += r.bytes;
    disconnects += r.disconnects;
  }
  return {
    reports,
    fanout: {
      p50Ms: latency.quantile(0.5),
      p99Ms: latency.quantile(0.99),
      maxMs: latency.max,
      deliveries: latency.count,
      updatesPerSec: updates / audience / elapsed,
      messagesPerSec: messages / audience / elapsed,
      bytesPerMessage: messages ? bytes / messages : 0,
      negative: latency.negative,
      disconnects,
    },
  };
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

type Host = Socket<ServerToClientEvents, ClientToServerEvents>;

async function hostCommand(host: Host, event: 'host:start' | 'host:pause', id: string, hostKey: string): Promise<void> {
  const answer = await host.timeout(30_000).emitWithAck(event, { id, hostKey });
  if (!answer.ok) throw new Error(`${event}: ${answer.error.message}`);
}

/** The real server (server/main.ts, fast brain) under bots and spectators. */
export async function measureSimul(p: PointParams): Promise<SimulFigures> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'simul-bench-'));
  const server = start<ProbeCommands>('server', 'server/main.ts', {
    nodeArgs: ['--expose-gc'],
    preload: ['./test/bench/server-probe.ts'],
    env: { PORT: '0', HOST: '127.0.0.1', SIMUL_BRAIN: 'fast', LOG_LEVEL: 'info', DATA_DIR: dataDir, ...UNLIMITED_ENV },
  });
  const bots = start<BotCommands>('bots', 'test/bench/bots.ts');
  const spectators = await startSpectators(p.processes);
  let host: Host | null = null;
  try {
    const port = (await server.line(/"port":(\d+)/, 30_000))[1];
    const url = `http://127.0.0.1:${port}`;
    const idle = await server.remote.ask('heap', {});

    const { id, hostKey } = await json<CreatedExhibition>(`${url}/api/exhibitions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // Judit never resigns (the fast brain's evaluation is the material count) and the bots never offer draws
      body: JSON.stringify({ name: 'Bench', boards: p.boards, seatsPerAddress: p.boards, thinkSeconds: p.thinkMs / 1000, elo: null, resignCp: null }),
    });
    // the heap per board and per spectator are slopes: what the second half of them added, so that
    // fixed costs (the exhibition itself, the code its first players and spectators compile) count for none
    const half = Math.ceil(p.boards / 2);
    await bots.remote.ask('seat', { url, id, from: 1, count: half, thinkMs: p.botMs }, 120_000);
    const halfSeated = await server.remote.ask('heap', {});
    await bots.remote.ask('seat', { url, id, from: half + 1, count: p.boards - half, thinkMs: p.botMs }, 120_000);
    const seated = await server.remote.ask('heap', {});
    p.log(`  ${p.boards} seats taken`);

    const firstHalf = Math.ceil(p.spectators / 2);
    const halves = [firstHalf, p.spectators - firstHalf].map((n) => spread(n, spectators.length));
    const joinStart = performance.now();
    const join = (shares: number[]) =>
      Promise.all(shares.map((count, i) => spectators[i].remote.ask('connect', { url, count, watch: id }, 600_000)));
    await join(halves[0]);
    await sleep(1000);
    const halfWatched = await server.remote.ask('heap', {});
    await join(halves[1]);
    p.log(`  ${p.spectators} spectators watching (joined in ${((performance.now() - joinStart) / 1000).toFixed(1)} s)`);
    await sleep(1000);
    const watched = await server.remote.ask('heap', {});

    host = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      host!.once('connect', resolve);
      host!.once('connect_error', reject);
    });
    await hostCommand(host, 'host:start', id, hostKey);
    await sleep(3000); // Judit's first round under way, every process warm
    await server.remote.ask('loopReset', {});
    if (p.cpuProfDir) await server.remote.ask('profileStart', {});
    p.log(`  measuring ${p.seconds} s`);
    const { fanout, reports } = await measureFanout(spectators, p.spectators, () => sleep(p.seconds * 1000));
    if (p.cpuProfDir) {
      mkdirSync(p.cpuProfDir, { recursive: true });
      const file = path.join(p.cpuProfDir, `server-${p.boards}b-${p.spectators}s-${Date.now()}.cpuprofile`);
      await server.remote.ask('profileStop', { path: file }, 120_000);
      p.log(`  CPU profile of the measured window: ${file}`);
    }
    const loop = await server.remote.ask('loop', {});
    const sample = reports.find((r) => r.sample)?.sample;
    const sentAt = reports[0].schedule;
    if (!sample) throw new Error('no board:update reached the spectators: did Judit move?');
    const { moves: botMoves } = await bots.remote.ask('report', {});

    await hostCommand(host, 'host:pause', id, hostKey);
    await sleep(500);
    const played = await server.remote.ask('heap', {});
    // with a single board or spectator there is no second half: the growth over the baseline, then
    const slope = (to: HeapFigures, from: HeapFigures, base: HeapFigures, all: number, second: number) =>
      (second > 0 ? (to.heapUsed - from.heapUsed) / second : (to.heapUsed - base.heapUsed) / all) / KB;
    const perBoardSeated = slope(seated, halfSeated, idle, p.boards, p.boards - half);
    const perBoardPlayed = (played.heapUsed - watched.heapUsed) / p.boards / KB;
    return {
      fanout,
      loop,
      heap: { idle, seated, watched, played },
      heapPerSpectatorKB: slope(watched, halfWatched, seated, p.spectators, p.spectators - firstHalf),
      heapPerBoardKB: { seated: perBoardSeated, played: perBoardPlayed, total: perBoardSeated + perBoardPlayed },
      payloadBytes: JSON.stringify(sample).length,
      sample,
      schedule: sentAt.map((t) => t - sentAt[0]),
      botMoves,
    };
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : error}\n--- server output ---\n${server.output()}`);
  } finally {
    host?.disconnect();
    await Promise.allSettled([...spectators.map((s) => s.remote.ask('close', {}, 60_000)), bots.remote.ask('close', {}, 60_000)]);
    await Promise.all([server.stop(30_000), bots.stop(), ...spectators.map((s) => s.stop())]);
  }
}

/**
 * A bare socket.io server broadcasting `payload` to `spectators` + `boards` sockets, at the moments
 * the real server broadcast its board updates (`schedule`, ms from the first).
 */
export async function measureRaw(p: PointParams, payload: BoardUpdate, schedule: number[]): Promise<RawFigures> {
  const server = start<RawServerCommands>('raw server', 'test/bench/raw-server.ts', { nodeArgs: ['--expose-gc'] });
  const players = start<BotCommands>('players', 'test/bench/bots.ts');
  const spectators = await startSpectators(p.processes);
  try {
    const port = (await server.line(/port (\d+)/, 30_000))[1];
    const url = `http://127.0.0.1:${port}`;
    const idle = await server.remote.ask('heap', {});
    const shares = spread(p.spectators, spectators.length);
    await Promise.all([
      ...shares.map((count, i) => spectators[i].remote.ask('connect', { url, count, watch: null }, 600_000)),
      players.remote.ask('follow', { url, count: p.boards }, 120_000),
    ]);
    const { sockets } = await server.remote.ask('sockets', {});
    await sleep(1000);
    const connected = await server.remote.ask('heap', {});
    p.log(`  raw socket.io: ${sockets} sockets; replaying the ${schedule.length} broadcasts`);
    await server.remote.ask('loopReset', {});
    const { fanout } = await measureFanout(spectators, p.spectators, async () => {
      await server.remote.ask('broadcast', { payload, offsets: schedule }, (p.seconds + 60) * 1000);
      await sleep(500); // the last broadcast's deliveries
    });
    const loop = await server.remote.ask('loop', {});
    return { fanout, loop, sockets, heapPerSocketKB: (connected.heapUsed - idle.heapUsed) / sockets / KB };
  } finally {
    await Promise.allSettled([...spectators.map((s) => s.remote.ask('close', {}, 60_000)), players.remote.ask('close', {}, 60_000)]);
    await Promise.all([server.stop(), players.stop(), ...spectators.map((s) => s.stop())]);
  }
}
