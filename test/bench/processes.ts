/**
 * Every process the bench starts: Node with tsx, a raised file-descriptor limit and an IPC channel.
 * All of them are ended when the bench ends, however it ends.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { type Commands, Remote } from './ipc.js';

export const root = path.resolve(import.meta.dirname, '../..');

/** Sockets per process need file descriptors; the hard limit here is 20,000. */
const FD_LIMIT = 20_000;
const raiseFdLimit = `ulimit -n ${FD_LIMIT} 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"`;

const started = new Set<ChildProcess>();

export interface Started<C extends Commands> {
  remote: Remote<C>;
  /** The Node process's id (the shell that starts it execs into it). */
  pid: number | undefined;
  /** The last lines the process printed, for error messages. */
  output(): string;
  /** Resolves with the first line of output matching `pattern`. */
  line(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Asks the process to stop (SIGTERM), then kills it if it has not within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export function start<C extends Commands>(
  name: string,
  script: string,
  { nodeArgs = [], preload = [], env = {} }: { nodeArgs?: string[]; preload?: string[]; env?: Record<string, string> } = {},
): Started<C> {
  const args = [...nodeArgs, '--import', 'tsx', ...preload.flatMap((p) => ['--import', p]), script];
  const proc = spawn('sh', ['-c', raiseFdLimit, 'sh', process.execPath, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  started.add(proc);
  let tail = '';
  const watchers: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const onData = (chunk: Buffer) => {
    const text = chunk.toString();
    tail = (tail + text).slice(-4000);
    for (const w of [...watchers]) {
      const m = text.match(w.pattern);
      if (m) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  void exited.then(() => started.delete(proc));
  return {
    remote: new Remote<C>(name, proc),
    pid: proc.pid,
    output: () => tail,
    line(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name} did not print ${pattern} in time:\n${tail}`)), timeoutMs);
        void exited.then(() => reject(new Error(`${name} exited:\n${tail}`)));
        watchers.push({
          pattern,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
      });
    },
    async stop(graceMs = 10_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Kills whatever is still running: the bench is over or has failed. */
export function killAll(): void {
  for (const proc of started) proc.kill('SIGKILL');
}
