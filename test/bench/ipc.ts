/**
 * Request and answer over a child process's IPC channel: the orchestrator asks, the child answers.
 * Each child serves one table of commands; every answer names the request it answers.
 */
import type { ChildProcess } from 'node:child_process';

/** A child's commands: what each takes and what it answers. */
export type Commands = Record<string, { args: unknown; result: unknown }>;

export type Handlers<C extends Commands> = { [K in keyof C]: (args: C[K]['args']) => C[K]['result'] | Promise<C[K]['result']> };

interface Request {
  seq: number;
  command: string;
  args: unknown;
}

type Answer = { seq: number; ok: true; result: unknown } | { seq: number; ok: false; message: string };

/** In the child: answers the orchestrator's requests, and leaves when the orchestrator is gone. */
export function serve<C extends Commands>(handlers: Handlers<C>, onOrphaned: () => void = () => process.exit(0)): void {
  if (!process.send) throw new Error('this process is started by test/bench/main.ts');
  const send = (answer: Answer) => process.send!(answer);
  process.on('message', (message: Request) => {
    const handler = (handlers as Record<string, (args: unknown) => unknown>)[message.command];
    if (!handler) return send({ seq: message.seq, ok: false, message: `unknown command ${message.command}` });
    Promise.resolve()
      .then(() => handler(message.args))
      .then(
        (result) => send({ seq: message.seq, ok: true, result }),
        (error: unknown) => send({ seq: message.seq, ok: false, message: error instanceof Error ? error.message : String(error) }),
      );
  });
  process.on('disconnect', onOrphaned);
}

/** In the orchestrator: one child and its commands. */
export class Remote<C extends Commands> {
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();

  constructor(
    readonly name: string,
    readonly proc: ChildProcess,
  ) {
    proc.on('message', (answer: Answer) => {
      const w = this.waiting.get(answer.seq);
      if (!w) return;
      this.waiting.delete(answer.seq);
      if (answer.ok) w.resolve(answer.result);
      else w.reject(new Error(`${name}: ${answer.message}`));
    });
    proc.on('exit', (code, signal) => {
      for (const w of this.waiting.values()) w.reject(new Error(`${name} exited (${signal ?? code})`));
      this.waiting.clear();
    });
  }

  ask<K extends keyof C & string>(command: K, args: C[K]['args'], timeoutMs = 60_000): Promise<C[K]['result']> {
    const seq = ++this.seq;
    return new Promise<C[K]['result']>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(seq);
        reject(new Error(`${this.name}: ${command} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(seq, {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r as C[K]['result']);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.proc.send({ seq, command, args } satisfies Request);
    });
  }
}
