import { createRequire } from 'node:module';
import { getPriority, setPriority } from 'node:os';
import { performance } from 'node:perf_hooks';
import { type Brain, MATE_CP, type ThinkRequest, type Thought } from './brain.js';
import { UciError, UciProcess } from './uci.js';

/** The single-threaded lite build: 1.7 MB of WebAssembly, ready in well under a second. */
export const ENGINE_PATH = createRequire(import.meta.url).resolve('stockfish/bin/stockfish-19-lite-single.js');

const ELO_MIN = 1320;
const ELO_MAX = 3190;

export interface StockfishOptions {
  /** The engine script, run with this Node binary. */
  enginePath?: string;
  /** How long past the think time a silent engine is given before it counts as hung. */
  hangMarginMs?: number;
  /** How long the engine may take to answer `uciok` and `readyok` at start. */
  startTimeoutMs?: number;
  /** A first search at start, so the engine is at full speed by Judit's first move (0: none). */
  warmupMs?: number;
  /** Fresh engines tried for one move after faults, before the move fails. */
  retries?: number;
  hashMb?: number;
  /**
   * How much lower than the server's the engine's CPU priority is (a nice value, 0–19): a search has
   * seconds to spare, the server's event loop milliseconds, so on a busy machine the server goes first.
   */
  nice?: number;
  /** Told of every engine fault, before the engine is restarted. */
  onFault?: (message: string) => void;
  /** Every line the engine writes. */
  onLine?: (line: string) => void;
}

/** What the last search did. */
export interface SearchInfo {
  depth: number;
  nodes: number;
  /** Nodes per second as the engine reports it. */
  nps: number;
  /** Time from the request to the answer, as measured here. */
  elapsedMs: number;
  movetimeMs: number;
}

export interface StockfishStats {
  /** Time from launching the engine to its `readyok`, for the latest launch. */
  readyMs: number | null;
  /** Engines launched after the first (one died, hung, or was killed). */
  restarts: number;
  lastSearch: SearchInfo | null;
}

/**
 * One Stockfish in a child process, so her thinking never holds up the event loop: a worker of the
 * engine pool. One think at a time, a new game for the engine whenever the board changes, and a
 * fresh engine whenever one dies or hangs mid-think.
 */
export class StockfishBrain implements Brain {
  readonly stats: StockfishStats = { readyMs: null, restarts: 0, lastSearch: null };
  private readonly options: Required<Omit<StockfishOptions, 'onFault' | 'onLine'>> &
    Pick<StockfishOptions, 'onFault' | 'onLine'>;
  private engine: UciProcess | null = null;
  private starting: Promise<UciProcess> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** The game the engine last searched, to tell a new board from the next move of the same one. */
  private game: { startFen: string; moves: readonly string[] } | null = null;
  /** The strength set on the engine; undefined until set. */
  private elo: number | null | undefined = undefined;
  private closed = false;
  private launched = false;

  constructor(options: StockfishOptions = {}) {
    this.options = {
      enginePath: options.enginePath ?? ENGINE_PATH,
      hangMarginMs: options.hangMarginMs ?? 2000,
      startTimeoutMs: options.startTimeoutMs ?? 10_000,
      warmupMs: options.warmupMs ?? 500,
      retries: options.retries ?? 2,
      hashMb: options.hashMb ?? 16,
      nice: options.nice ?? 0,
      onFault: options.onFault,
      onLine: options.onLine,
    };
  }

  /** The engine's process id, while it runs. */
  get pid(): number | undefined {
    return this.engine?.alive ? this.engine.pid : undefined;
  }

  /** Launches and warms up the engine; rejects with a clear message when it cannot start. */
  async start(): Promise<void> {
    await this.ready();
  }

  think(request: ThinkRequest): Promise<Thought> {
    const job = this.queue.then(() => this.answer(request));
    this.queue = job.catch(() => {});
    return untilAborted(job, request.signal);
  }

  /**
   * Replaces the engine after a failed think (once any think still queued is done) with a fresh
   * one; rejects when no engine can start, which is no fault of the position.
   */
  async reset(): Promise<void> {
    await this.queue;
    const engine = this.engine;
    this.engine = null;
    if (engine) {
      engine.kill();
      await engine.exited;
    }
    await this.ready();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.starting?.catch(() => {});
    const engine = this.engine;
    this.engine = null;
    if (engine) {
      engine.send('quit');
      engine.kill();
      await engine.exited;
    }
  }

  private ready(): Promise<UciProcess> {
    if (this.closed) return Promise.reject(new Error('The Stockfish brain is closed.'));
    if (this.engine?.alive) return Promise.resolve(this.engine);
    if (this.engine && !this.starting) {
      this.options.onFault?.(`Stockfish stopped between moves (${this.engine.exitReason}); restarting it.`);
      this.engine = null;
    }
    this.starting ??= this.launch().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async launch(): Promise<UciProcess> {
    const { enginePath, startTimeoutMs: timeoutMs, warmupMs, hashMb, nice } = this.options;
    const began = performance.now();
    const engine = new UciProcess(process.execPath, [enginePath], this.options.onLine);
    try {
      if (nice !== 0 && engine.pid !== undefined) setPriority(engine.pid, Math.min(19, getPriority() + nice));
      engine.send('uci');
      await engine.waitFor((line) => line === 'uciok', { timeoutMs });
      engine.send(`setoption name Hash value ${hashMb}`);
      engine.send('isready');
      await engine.waitFor((line) => line === 'readyok', { timeoutMs });
      this.stats.readyMs = performance.now() - began;
      if (warmupMs > 0) {
        engine.send('position startpos');
        engine.send(`go movetime ${warmupMs}`);
        await engine.waitFor(isBestMove, { timeoutMs: warmupMs + timeoutMs });
      }
    } catch (error) {
      engine.kill();
      const why = error instanceof Error ? error.message : String(error);
      throw new Error(`Stockfish could not start (${enginePath}): ${why}`, { cause: error });
    }
    if (this.closed) {
      engine.kill();
      throw new Error('The Stockfish brain was closed while starting.');
    }
    if (this.launched) this.stats.restarts++;
    this.launched = true;
    this.engine = engine;
    this.game = null;
    this.elo = undefined;
    return engine;
  }

  /** Searches, on a fresh engine again if this one dies or hangs. */
  private async answer(request: ThinkRequest): Promise<Thought> {
    let fault = '';
    for (let attempt = 0; attempt <= this.options.retries; attempt++) {
      throwIfAborted(request.signal);
      const engine = await this.ready();
      try {
        return await this.search(engine, request);
      } catch (error) {
        if (!(error instanceof UciError)) throw error;
        fault = error.message;
        if (!request.signal.aborted) this.options.onFault?.(`Stockfish fault: ${fault}; restarting it.`);
        engine.kill();
        await engine.exited;
        if (this.engine === engine) this.engine = null;
      }
    }
    throw new Error(`Stockfish failed ${this.options.retries + 1} times in a row: ${fault}`);
  }

  private async search(engine: UciProcess, request: ThinkRequest): Promise<Thought> {
    const { startFen, moves, elo, signal } = request;
    const began = performance.now();
    throwIfAborted(signal);
    // one write, and no isready round trip: the engine reads the lines in order, so a round trip
    // would only leave it idle meanwhile
    const lines: string[] = [];
    if (!this.continues(startFen, moves)) lines.push('ucinewgame');
    this.game = { startFen, moves: [...moves] };
    if (elo !== this.elo) {
      lines.push(`setoption name UCI_LimitStrength value ${elo !== null}`);
      if (elo !== null) lines.push(`setoption name UCI_Elo value ${Math.min(ELO_MAX, Math.max(ELO_MIN, elo))}`);
      this.elo = elo;
    }
    lines.push(`position fen ${startFen}${moves.length ? ` moves ${moves.join(' ')}` : ''}`);
    // never 0: that would mean no limit at all
    const movetimeMs = Math.max(1, Math.round(request.thinkMs));
    lines.push(`go ${request.nodes === undefined ? '' : `nodes ${request.nodes} `}movetime ${movetimeMs}`);
    const report = new SearchReport();
    const stop = () => engine.send('stop');
    signal.addEventListener('abort', stop, { once: true });
    engine.send(...lines);
    let line: string;
    try {
      line = await engine.waitFor(isBestMove, {
        timeoutMs: movetimeMs + this.options.hangMarginMs,
        onLine: (info) => report.read(info),
      });
    } finally {
      signal.removeEventListener('abort', stop);
    }
    this.stats.lastSearch = { ...report.info(), elapsedMs: performance.now() - began, movetimeMs };
    throwIfAborted(signal);
    const move = line.split(' ')[1];
    if (!move || move === '(none)') throw new Error(`No legal move for Judit in ${request.fen}.`);
    const thought: Thought = { move, scoreCp: report.scoreCp ?? 0 };
    // the engine stops at its budget with at least that many nodes: fewer means the time ran out first
    if (request.nodes !== undefined && report.info().nodes < request.nodes) thought.late = true;
    return thought;
  }

  /** True when the request is the game the engine last searched, some moves further on. */
  private continues(startFen: string, moves: readonly string[]): boolean {
    const last = this.game;
    if (!last || last.startFen !== startFen || last.moves.length >= moves.length) return false;
    return last.moves.every((move, i) => move === moves[i]);
  }
}

function isBestMove(line: string): boolean {
  return line.startsWith('bestmove');
}

/** The principal line's latest score and counters, read from `info` lines. */
class SearchReport {
  scoreCp: number | null = null;
  private exact = false;
  private depth = 0;
  private nodes = 0;
  private nps = 0;

  read(line: string): void {
    if (!line.startsWith('info ') || line.startsWith('info string')) return;
    const words = line.split(' ');
    const field = (name: string) => {
      const i = words.indexOf(name);
      return i === -1 ? null : Number(words[i + 1]);
    };
    if ((field('multipv') ?? 1) !== 1) return;
    this.depth = field('depth') ?? this.depth;
    this.nodes = field('nodes') ?? this.nodes;
    this.nps = field('nps') ?? this.nps;
    const cp = field('cp');
    const mate = field('mate');
    const score = cp ?? (mate === null ? null : mate > 0 ? MATE_CP - mate : -MATE_CP - mate);
    if (score === null || Number.isNaN(score)) return;
    // a bound (fail-high or fail-low) replaces only another bound: an exact score is worth more
    const exact = !words.includes('lowerbound') && !words.includes('upperbound');
    if (exact || !this.exact) {
      this.scoreCp = score;
      this.exact = exact;
    }
  }

  info(): Omit<SearchInfo, 'elapsedMs' | 'movetimeMs'> {
    return { depth: this.depth, nodes: this.nodes, nps: this.nps };
  }
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('Judit stopped thinking.', 'AbortError');
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortReason(signal);
}

/** `job`, or a rejection as soon as `signal` aborts (the job itself runs on to its end). */
function untilAborted<T>(job: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    const abort = () => reject(abortReason(signal));
    signal.addEventListener('abort', abort, { once: true });
    job.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
