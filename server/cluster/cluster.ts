import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { localConfig, startBalancer } from './balancer.js';

const root = path.resolve(import.meta.dirname, '../..');

export interface ClusterOptions {
  /** Server processes behind the balancer. */
  processes: number;
  /** The balancer's port: the one address clients know. */
  port: number;
  host: string;
  /** Every process's environment: DATABASE_URL and REDIS_URL at least. */
  env: NodeJS.ProcessEnv;
  /** Takes the processes' and the balancer's output; they write to this terminal when absent. */
  output?: (text: string) => void;
  /**
   * Starts a process that stopped again on its port (its exhibitions are the others' meanwhile),
   * after a pause that doubles while it keeps stopping soon after starting.
   */
  restart?: { onRestart(member: Member, code: number | null, signal: NodeJS.Signals | null, delayMs: number): void };
}

/** The first pause before a stopped process is started again, and the longest. */
const RESTART_MS = { first: 1_000, most: 30_000 };
/** A process that served this long before it stopped is started again after the first pause. */
const STEADY_MS = 60_000;

/** One server process of the cluster, on a port of its own behind the balancer. */
export interface Member {
  index: number;
  port: number;
  url: string;
  proc: ChildProcess;
}

export interface Cluster {
  url: string;
  members: Member[];
  balancer: ChildProcess;
  /** Stops every process (SIGTERM, then SIGKILL after `graceMs`) and the balancer. */
  stop(graceMs?: number): Promise<void>;
  /** Starts process `index` again on its port (after it died or was killed), once it is ready. */
  respawn(index: number): Promise<Member>;
}

/** What the cluster needs from its environment, or why it cannot start. */
export function clusterEnvProblem(env: NodeJS.ProcessEnv): string | null {
  const missing = ['DATABASE_URL', 'REDIS_URL'].filter((name) => !env[name]);
  if (missing.length === 0) return null;
  return `${missing.join(' and ')} must be set: the processes share exhibitions through PostgreSQL (DATABASE_URL) and broadcasts through Redis (REDIS_URL).`;
}

/** A port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts `processes` servers on free local ports and HAProxy in front of them on `port`; resolves
 * once the balancer serves and every process is ready.
 */
export async function startCluster({ processes, port, host, env, output, restart }: ClusterOptions): Promise<Cluster> {
  const problem = clusterEnvProblem(env);
  if (problem) throw new Error(problem);
  const ports: number[] = [];
  for (let i = 0; i < processes; i++) ports.push(await freePort());
  // the cores are shared: each process gets its part of the engines unless told otherwise
  const engines = env.ENGINES ?? String(Math.max(1, Math.floor(availableParallelism() / processes)));
  const stdio = output ? 'pipe' : 'inherit';
  const watch = (proc: ChildProcess) => {
    proc.stdout?.on('data', (d: Buffer) => output?.(d.toString()));
    proc.stderr?.on('data', (d: Buffer) => output?.(d.toString()));
    return proc;
  };
  const launch = (p: number, index: number): Member => {
    const proc = watch(
      spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: root,
        env: { ...env, PORT: String(p), HOST: '127.0.0.1', TRUST_PROXY: '1', ENGINES: engines },
        stdio: ['ignore', stdio, stdio],
      }),
    );
    return { index, port: p, url: `http://127.0.0.1:${p}`, proc };
  };
  const members = ports.map(launch);
  let balancer: ChildProcess | undefined;
  let stopping = false;
  const url = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`;

  const exited = (proc: ChildProcess) => proc.exitCode !== null || proc.signalCode !== null;
  const stop = async (graceMs = 15_000) => {
    stopping = true;
    const all = [...members.map((m) => m.proc), ...(balancer ? [balancer] : [])];
    await Promise.all(
      all.map(async (proc) => {
        if (exited(proc)) return;
        const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
        proc.kill('SIGTERM');
        const force = setTimeout(() => proc.kill('SIGKILL'), graceMs);
        await gone;
        clearTimeout(force);
      }),
    );
  };

  try {
    await Promise.all(members.map((m) => ready(`${m.url}/readyz`, m.proc)));
    // only now: HAProxy counts a server up from the start, and down from its first failed check
    balancer = watch(startBalancer(localConfig(port, host, ports), stdio));
    await ready(`${url}/readyz`, balancer);
  } catch (error) {
    await stop(1000);
    throw error;
  }
  const respawn = async (index: number) => {
    const member = launch(members[index].port, index);
    members[index] = member;
    if (restart) supervise(member, RESTART_MS.first);
    await ready(`${member.url}/readyz`, member.proc);
    return member;
  };
  const supervise = (member: Member, delayMs: number) => {
    const startedAt = Date.now();
    member.proc.once('exit', (code, signal) => {
      if (stopping || members[member.index] !== member) return;
      const delay = Date.now() - startedAt >= STEADY_MS ? RESTART_MS.first : delayMs;
      restart!.onRestart(member, code, signal, delay);
      setTimeout(() => {
        if (stopping || members[member.index] !== member) return;
        const next = launch(member.port, member.index);
        members[member.index] = next;
        supervise(next, Math.min(delay * 2, RESTART_MS.most));
      }, delay);
    });
  };
  if (restart) for (const member of members) supervise(member, RESTART_MS.first);
  return { url, members, balancer, stop, respawn };
}

/** Resolves when `url` answers 200; fails when `proc` exits first. */
async function ready(url: string, proc: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`${proc.spawnfile} exited (${proc.exitCode ?? proc.signalCode}) before ${url} was ready`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} was not ready within ${timeoutMs / 1000} s`);
}
