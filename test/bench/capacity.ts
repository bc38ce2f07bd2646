/**
 * How many exhibitions one server carries on its engine pool: the real server (Stockfish) with M
 * running exhibitions of 24 boards at the classic settings (Judit 5 s a move at Elo 2735, bot
 * opponents 55 s ± 50 %, so Judit is the bottleneck), measured over a window after all have started,
 * M rising until a limit breaks: think ratio p95 > 1.1, hurried moves > 1 % or event-loop p99 > 20 ms.
 * Prints the figures of the largest M that held (every point too, without --json).
 *
 *   npm run bench:capacity [-- --json] [--m 10,20,40,70,100,140] [--seconds 60] [--engines N] [--cpu-prof DIR]
 *
 * --cpu-prof DIR writes a CPU profile of the server (not its engines) over each measured window.
 *
 * A figure is worth something only on a quiet machine: Judit's engines want the cores to themselves.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, CreatedExhibition, ExhibitionSnapshot, ServerToClientEvents, Timeline } from '../../shared/protocol.js';
import type { BotCommands, ProbeCommands } from './commands.js';
import { killAll, start } from './processes.js';
import { UNLIMITED_ENV } from '../unlimited.js';

const BOARDS = 24;
const THINK_SECONDS = 5;
const ELO = 2735;
const BOT_MS = 55_000;
const LIMITS = { thinkRatioP95: 1.1, engineLateMovesShare: 0.01, eventLoopP99Ms: 20 };

interface Point {
  exhibitions: number;
  engines: number;
  thinkRatioP95: number;
  engineLateMovesShare: number;
  eventLoopP99Ms: number;
  rssMB: number;
  cpuPerJuditMoveMs: number;
  /**
   * That CPU split: the server's own process and its engines; then the bots', the host consoles'
   * (this process), the kernel's interrupts (the loopback's packets) and the rest of the machine's.
   */
  serverCpuPerMoveMs: number;
  enginesCpuPerMoveMs: number;
  botsCpuPerMoveMs: number;
  hostsCpuPerMoveMs: number;
  irqCpuPerMoveMs: number;
  othersCpuPerMoveMs: number;
  /** Load average (1, 5, 15 min) at the end of the window. */
  load: string;
  juditMoves: number;
}

const args = process.argv.slice(2);
const json = args.includes('--json');
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
};
const steps = (option('m') ?? '10,20,40,70,100,140').split(',').map(Number);
const seconds = Number(option('seconds') ?? 60);
const engines = Number(option('engines') ?? availableParallelism());
const cpuProfDir = option('cpu-prof');
const log = (line: string) => {
  if (!json) console.log(line);
};
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const CLOCK_TICKS = 100; // USER_HZ on Linux

/** The server and its engines: every process started with this data directory in its environment. */
function serverProcesses(dataDir: string): number[] {
  const mark = `DATA_DIR=${dataDir}`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(mark)) pids.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours
    }
  }
  return pids;
}

/** Resident memory (MB) and CPU time (ms) of those processes together. */
function usage(pids: number[]): { rssMB: number; cpuMs: number } {
  let rssMB = 0;
  let cpuMs = 0;
  for (const pid of pids) {
    try {
      rssMB += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      cpuMs += ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS) * 1000; // utime, stime
    } catch {
      // gone meanwhile
    }
  }
  return { rssMB, cpuMs };
}

/** CPU time (ms) the whole machine spent busy, every core together (and in interrupts, the loopback's), and the load average. */
function machine(): { busyMs: number; irqMs: number; load: string } {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = ticks.map((t) => (Number(t) / CLOCK_TICKS) * 1000);
  return {
    busyMs: user + nice + system + irq + softirq + steal,
    irqMs: irq + softirq,
    load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  };
}

/** CPU time (ms) so far of the server's own process, its engines, the bots and the whole machine. */
function cpuNow(serverPid: number, dataDir: string, botsPid: number) {
  const all = serverProcesses(dataDir);
  const engines = all.filter((pid) => pid !== serverPid);
  return {
    server: usage([serverPid]).cpuMs,
    engines: usage(engines).cpuMs,
    bots: usage([botsPid]).cpuMs,
    // the bench itself holds every exhibition's host console socket
    hosts: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    irq: machine().irqMs,
    machine: machine().busyMs,
    rssMB: usage(all).rssMB,
  };
}

async function json_<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function measure(m: number): Promise<Point> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'simul-capacity-'));
  const server = start<ProbeCommands>('server', 'server/main.ts', {
    preload: ['./test/bench/server-probe.ts'],
    env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', DATA_DIR: dataDir, ENGINES: String(engines), MAX_RUNNING: '100000', HOUSE_BOARDS: '0', ...UNLIMITED_ENV },
  });
  const bots = start<BotCommands>('bots', 'test/bench/bots.ts');
  const hosts: Socket<ServerToClientEvents, ClientToServerEvents>[] = [];
  try {
    const url = `http://127.0.0.1:${(await server.line(/"port":(\d+)/, 30_000))[1]}`;
    while ((await fetch(`${url}/readyz`)).status !== 200) await sleep(200);
    const ids: string[] = [];
    for (let i = 0; i < m; i++) {
      const { id, hostKey } = await json_<CreatedExhibition>(`${url}/api/exhibitions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `Capacity ${i + 1}`, boards: BOARDS, seatsPerAddress: BOARDS, thinkSeconds: THINK_SECONDS, elo: ELO, resignCp: null }),
      });
      await bots.remote.ask('seat', { url, id, from: i * BOARDS + 1, count: BOARDS, thinkMs: BOT_MS }, 120_000);
      const host: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
      hosts.push(host);
      await new Promise<void>((resolve, reject) => {
        host.once('connect', resolve);
        host.once('connect_error', reject);
      });
      const started = await host.timeout(60_000).emitWithAck('host:start', { id, hostKey });
      if (!started.ok) throw new Error(`host:start: ${started.error.message}`);
      ids.push(id);
    }
    log(`  ${m} exhibitions of ${BOARDS} boards running`);
    await sleep(THINK_SECONDS * 1000);
    const serverPid = server.pid!;
    const botsPid = bots.pid!;
    const late = async () => {
      let n = 0;
      for (const id of ids) n += (await json_<ExhibitionSnapshot>(`${url}/api/exhibitions/${id}`)).stats.engineLateMoves;
      return n;
    };
    const lateBefore = await late();
    const before = cpuNow(serverPid, dataDir, botsPid);
    await server.remote.ask('loopReset', {});
    if (cpuProfDir) await server.remote.ask('profileStart', {});
    const from = Date.now();
    await sleep(seconds * 1000);
    const to = Date.now();
    if (cpuProfDir) {
      mkdirSync(cpuProfDir, { recursive: true });
      const file = path.join(cpuProfDir, `capacity-${m}-${Date.now()}.cpuprofile`);
      await server.remote.ask('profileStop', { path: file }, 120_000);
      log(`  CPU profile of the measured window: ${file}`);
    }
    const loop = await server.remote.ask('loop', {});
    const after = cpuNow(serverPid, dataDir, botsPid);
    const lateMoves = (await late()) - lateBefore;
    const ratios: number[] = [];
    for (const id of ids) {
      const timeline = await json_<Timeline>(`${url}/api/exhibitions/${id}/timeline`);
      for (const lane of timeline.lanes) {
        for (const move of lane.moves) {
          if (move.by === 'judit' && move.movedAt >= from && move.movedAt <= to) ratios.push((move.movedAt - move.startedAt) / (THINK_SECONDS * 1000));
        }
      }
    }
    const perMove = (ms: number) => (ratios.length ? Math.round((ms / ratios.length) * 10) / 10 : NaN);
    const spent = (key: 'server' | 'engines' | 'bots' | 'hosts' | 'irq' | 'machine') => after[key] - before[key];
    return {
      exhibitions: m,
      engines,
      thinkRatioP95: quantile(ratios, 0.95),
      engineLateMovesShare: ratios.length ? lateMoves / ratios.length : 0,
      eventLoopP99Ms: loop.p99Ms,
      rssMB: Math.round(after.rssMB),
      cpuPerJuditMoveMs: perMove(spent('server') + spent('engines')),
      serverCpuPerMoveMs: perMove(spent('server')),
      enginesCpuPerMoveMs: perMove(spent('engines')),
      botsCpuPerMoveMs: perMove(spent('bots')),
      hostsCpuPerMoveMs: perMove(spent('hosts')),
      irqCpuPerMoveMs: perMove(spent('irq')),
      othersCpuPerMoveMs: perMove(spent('machine') - spent('server') - spent('engines') - spent('bots') - spent('hosts') - spent('irq')),
      load: machine().load,
      juditMoves: ratios.length,
    };
  } finally {
    for (const host of hosts) host.disconnect();
    await bots.stop();
    await server.stop();
  }
}

const holds = (p: Point) =>
  p.thinkRatioP95 <= LIMITS.thinkRatioP95 && p.engineLateMovesShare <= LIMITS.engineLateMovesShare && p.eventLoopP99Ms <= LIMITS.eventLoopP99Ms;

try {
  log(`${engines} engines${process.env.ENGINE_NICE ? ` (ENGINE_NICE=${process.env.ENGINE_NICE})` : ''}, ${BOARDS} boards an exhibition, Judit ${THINK_SECONDS} s at Elo ${ELO}, bots ${BOT_MS / 1000} s; ${seconds} s measured`);
  let best: Point | null = null;
  for (const m of steps) {
    log(`M = ${m}`);
    const point = await measure(m);
    log(`  ${JSON.stringify(point)}`);
    if (!holds(point)) {
      log(`  a limit broke (think ratio p95 ≤ ${LIMITS.thinkRatioP95}, hurried moves ≤ ${LIMITS.engineLateMovesShare * 100} %, loop p99 ≤ ${LIMITS.eventLoopP99Ms} ms)`);
      break;
    }
    best = point;
  }
  if (best === null) throw new Error(`A limit broke already at M = ${steps[0]}.`);
  const { juditMoves: _, ...figures } = best;
  console.log(json ? JSON.stringify(figures) : `largest that held: ${JSON.stringify(figures)}`);
} finally {
  killAll();
}
