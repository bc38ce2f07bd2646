import type { Clock } from '../clock/clock.js';
import type { Brain, ThinkRequest, Thought } from './brain.js';
import { nodesForElo } from './strength.js';

export interface EnginePoolOptions {
  /** Engine workers at most; each is launched the first time every other one is busy. */
  engines: number;
  /** The time the queue's deadlines are kept on. */
  clock: Clock;
  /** One engine, resolved once it can think (Stockfish restarts itself when its process dies). */
  launch: () => Promise<Brain>;
  /** The node budget for a strength; the calibrated table by default. */
  budget?: (elo: number | null) => number;
}

/** Told of every answered request: how long it waited for an engine, and the answer. */
export type ServedListener = (waitedMs: number, thought: Thought) => void;

interface Job {
  request: ThinkRequest;
  /** When her think time is over: past it the engine searches only for what is left, or at once. */
  deadline: number;
  queuedAt: number;
  resolve: (thought: Thought) => void;
  reject: (error: unknown) => void;
}

interface Worker {
  engine: Promise<Brain> | null;
  ready: boolean;
  busy: boolean;
}

/**
 * Engines shared by every exhibition of the server. A request carries the position, the strength
 * and a node budget; requests are served first come, first served, and each giver of an exhibition has
 * at most one waiting (she thinks about one board at a time). An engine that fails for good is
 * replaced by a fresh one for the next request.
 */
export class EnginePool {
  private readonly workers: Worker[];
  private readonly queue: Job[] = [];
  private readonly budget: (elo: number | null) => number;
  private readonly listeners = new Set<ServedListener>();
  private closed = false;

  constructor(private readonly options: EnginePoolOptions) {
    if (!Number.isInteger(options.engines) || options.engines < 1) throw new Error('An engine pool needs at least one engine.');
    this.workers = Array.from({ length: options.engines }, () => ({ engine: null, ready: false, busy: false }));
    this.budget = options.budget ?? nodesForElo;
  }

  get size(): number {
    return this.workers.length;
  }

  /** Engines searching now. */
  get busy(): number {
    return this.workers.filter((w) => w.busy).length;
  }

  /** Requests waiting for an engine. */
  get queueLength(): number {
    return this.queue.length;
  }

  /** Engines started and able to think. */
  get ready(): number {
    return this.workers.filter((w) => w.ready).length;
  }

  /** Resolves once an engine can think (the first is launched if none is); rejects when it cannot start. */
  async start(): Promise<void> {
    await this.engineOf(this.workers.find((w) => w.engine !== null) ?? this.workers[0]);
  }

  onServed(listener: ServedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One exhibition's view of the pool: its givers' brain, each giver thinking in parallel with the others. */
  brain(): Brain {
    const last = new Map<number, Promise<unknown>>();
    return {
      think: (request) => {
        // one request in the queue per giver: her next waits for the answer to this one
        const lane = request.giver ?? 0;
        const job = (last.get(lane) ?? Promise.resolve()).then(() => this.think(request));
        last.set(lane, job.catch(() => {}));
        return job;
      },
      // a failed search has already put a fresh engine in the failed one's place: the retry gets
      // it, and this rejects when no engine can start at all (no fault of the position)
      reset: () => this.start(),
      close: async () => {},
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('The engine pool is closed.'));
    await Promise.all(
      this.workers.map(async (w) => {
        const engine = w.engine;
        w.engine = null;
        w.ready = false;
        await engine?.then((e) => e.close(), () => {});
      }),
    );
  }

  private think(request: ThinkRequest): Promise<Thought> {
    if (this.closed) return Promise.reject(new Error('The engine pool is closed.'));
    const { signal } = request;
    if (signal.aborted) return Promise.reject(abortReason(signal));
    return new Promise((resolve, reject) => {
      const now = this.options.clock.now();
      const job: Job = { request, deadline: now + request.thinkMs, queuedAt: now, resolve, reject };
      const abort = () => {
        const i = this.queue.indexOf(job);
        if (i !== -1) this.queue.splice(i, 1);
        reject(abortReason(signal));
      };
      signal.addEventListener('abort', abort, { once: true });
      const settle = <T>(finish: (value: T) => void) => (value: T) => {
        signal.removeEventListener('abort', abort);
        finish(value);
      };
      job.resolve = settle(resolve);
      job.reject = settle(reject);
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Hands waiting requests to idle engines, the first launched first. */
  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.workers.find((w) => !w.busy);
      if (!worker) return;
      const job = this.queue.shift()!;
      worker.busy = true;
      void this.serve(worker, job).finally(() => {
        worker.busy = false;
        this.dispatch();
      });
    }
  }

  private async serve(worker: Worker, job: Job): Promise<void> {
    const { clock } = this.options;
    const { request } = job;
    try {
      const engine = await this.engineOf(worker);
      const started = clock.now();
      const thinkMs = Math.max(0, job.deadline - started);
      const thought = await engine.think({ ...request, thinkMs, nodes: this.budget(request.elo) });
      const answer = thinkMs === 0 ? { ...thought, late: true } : thought;
      for (const listener of this.listeners) listener(started - job.queuedAt, answer);
      job.resolve(answer);
    } catch (error) {
      // the engine's own restarts did not cure it: the next request gets a fresh one
      if (!request.signal.aborted) this.replace(worker);
      job.reject(error);
    }
  }

  private engineOf(worker: Worker): Promise<Brain> {
    worker.engine ??= this.options.launch().then(
      (engine) => {
        worker.ready = true;
        return engine;
      },
      (error: unknown) => {
        worker.engine = null; // the next request tries to start it again
        throw error;
      },
    );
    return worker.engine;
  }

  private replace(worker: Worker): void {
    const engine = worker.engine;
    worker.engine = null;
    worker.ready = false;
    void engine?.then((e) => e.close(), () => {});
  }
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('Judit stopped thinking.', 'AbortError');
}
