import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Why a wait on the engine ended without the line it wanted. */
export type UciFailure = 'exited' | 'timeout';

/** The engine went quiet or away: the caller may restart it and ask again. */
export class UciError extends Error {
  constructor(
    readonly reason: UciFailure,
    message: string,
  ) {
    super(message);
    this.name = 'UciError';
  }
}

export interface WaitOptions {
  timeoutMs: number;
  /** Sees every line while waiting, the matching one included. */
  onLine?: (line: string) => void;
}

/** Engines still running; killed when this process exits, so none outlives it. */
const running = new Set<UciProcess>();
let exitHookInstalled = false;

function killAllOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const engine of running) engine.kill();
  });
}

/**
 * One engine process spoken to in UCI lines over stdin/stdout. It never outlives this process: it
 * is killed on exit, and when this process dies outright its stdin closes and the engine quits.
 */
export class UciProcess {
  /** Resolves once the process has gone, however it went. */
  readonly exited: Promise<void>;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly listeners = new Set<(line: string) => void>();
  private readonly errLines: string[] = [];
  private exitNote: string | null = null;

  constructor(command: string, args: readonly string[], tap?: (line: string) => void) {
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    running.add(this);
    killAllOnExit();
    this.child.stdin.on('error', () => {}); // writing to an engine that just died: the exit says why
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      tap?.(line);
      for (const listener of [...this.listeners]) listener(line);
    });
    createInterface({ input: this.child.stderr }).on('line', (line) => {
      this.errLines.push(line);
      if (this.errLines.length > 5) this.errLines.shift();
    });
    this.exited = new Promise((resolve) => {
      const gone = (note: string) => {
        if (this.exitNote !== null) return;
        this.exitNote = note;
        running.delete(this);
        for (const listener of [...this.listeners]) listener(''); // wake waiters: they see it is gone
        resolve();
      };
      this.child.once('error', (error) => gone(error.message));
      // 'close', not 'exit': every line the engine wrote has been read by then
      this.child.once('close', (code, signal) => gone(signal ? `killed by ${signal}` : `exit code ${code}`));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exitNote === null;
  }

  /** How the process ended, with the last lines it wrote to stderr. */
  get exitReason(): string {
    const err = this.errLines.join(' | ');
    return `${this.exitNote ?? 'running'}${err ? ` (${err})` : ''}`;
  }

  /** Writes the lines in one go: one write for the pipe, one wake-up for the engine. */
  send(...lines: string[]): void {
    if (this.alive) this.child.stdin.write(lines.map((line) => `${line}\n`).join(''));
  }

  /** The first line from now on that `match` accepts; rejects if the engine exits or stays silent. */
  waitFor(match: (line: string) => boolean, { timeoutMs, onLine }: WaitOptions): Promise<string> {
    return new Promise((resolve, reject) => {
      const finish = (error: UciError | null, line = '') => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        if (error) reject(error);
        else resolve(line);
      };
      const listener = (line: string) => {
        if (!this.alive) return finish(new UciError('exited', `engine stopped: ${this.exitReason}`));
        onLine?.(line);
        if (match(line)) finish(null, line);
      };
      const timer = setTimeout(
        () => finish(new UciError('timeout', `engine silent for ${Math.round(timeoutMs)} ms`)),
        timeoutMs,
      );
      this.listeners.add(listener);
      if (!this.alive) listener('');
    });
  }

  /** Ends the process at once. */
  kill(): void {
    if (!this.alive) return;
    this.child.stdin.destroy();
    this.child.kill('SIGKILL');
  }
}
