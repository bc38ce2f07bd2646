import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config.js';
import type { Clock } from '../../server/clock/clock.js';
import { VirtualClock } from '../../server/clock/virtual.js';
import { Exhibition } from '../../server/exhibition/exhibition.js';
import type { Brain, ThinkRequest, Thought } from '../../server/judit/brain.js';
import { DirectPort } from '../../server/rooms/direct.js';
import type { ExhibitionEvent } from '../../shared/events.js';
import { EnginePool } from '../../server/judit/pool.js';
import { juditMoves, quietMove, S } from './helpers.js';

/**
 * An engine on the virtual clock: a search takes its node budget at `nodesPerMs`, or stops at the
 * think time first (late), as Stockfish does with `go nodes N movetime T`.
 */
class BudgetEngine implements Brain {
  readonly searched: ThinkRequest[] = [];
  constructor(
    private readonly clock: Clock,
    private readonly nodesPerMs: number,
  ) {}

  async think(request: ThinkRequest): Promise<Thought> {
    this.searched.push(request);
    const budgetMs = (request.nodes ?? 0) / this.nodesPerMs;
    await this.clock.sleep(Math.min(budgetMs, request.thinkMs), request.signal);
    return { move: quietMove(request.fen, 3), scoreCp: 0, ...(request.thinkMs < budgetMs ? { late: true } : {}) };
  }

  async close(): Promise<void> {}
}

/** A pool on the virtual clock whose searches take `searchMs` each (a budget of 1,000 nodes). */
function poolOf(engines: number, searchMs: number) {
  const clock = new VirtualClock();
  const launched: BudgetEngine[] = [];
  const pool = new EnginePool({
    engines,
    clock,
    budget: () => 1000,
    launch: async () => {
      const engine = new BudgetEngine(clock, 1000 / searchMs);
      launched.push(engine);
      return engine;
    },
  });
  return { clock, pool, launched };
}

const FEN = 'rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1';
const ask = (brain: Brain, tag: string, thinkMs = 60 * S) =>
  brain.think({ startFen: FEN, moves: [], fen: FEN, thinkMs, elo: tag === 'full' ? null : 2000, signal: new AbortController().signal, tag } as ThinkRequest);

describe('the engine pool', () => {
  it('one engine serves three exhibitions first come, first served, one request each at a time', async () => {
    const { clock, pool, launched } = poolOf(1, 1 * S);
    const [a, b, c] = [pool.brain(), pool.brain(), pool.brain()];
    const answeredAt: Record<string, number> = {};
    const note = (tag: string) => (thought: Thought) => {
      answeredAt[tag] = clock.now();
      return thought;
    };
    // the first exhibition asks twice at once: its second request goes behind the other two
    const all = Promise.all([ask(a, 'a1').then(note('a1')), ask(a, 'a2').then(note('a2')), ask(b, 'b').then(note('b')), ask(c, 'c').then(note('c'))]);
    await clock.advance(10 * S);
    await all;
    expect(launched).toHaveLength(1);
    const order = launched[0].searched.map((r) => (r as ThinkRequest & { tag: string }).tag);
    expect(order).toEqual(['a1', 'b', 'c', 'a2']);
    expect(answeredAt).toEqual({ a1: 1 * S, b: 2 * S, c: 3 * S, a2: 4 * S });
  });

  it('the givers of one exhibition think in parallel, each one request at a time', async () => {
    const { clock, pool, launched } = poolOf(2, 1 * S);
    const brain = pool.brain();
    const answeredAt: Record<string, number> = {};
    const asks = (tag: string, giver: number) =>
      brain.think({ startFen: FEN, moves: [], fen: FEN, thinkMs: 60 * S, elo: 2000, giver, signal: new AbortController().signal }).then(() => {
        answeredAt[tag] = clock.now();
      });
    // Judit asks twice at once (her second waits for her first); Zsuzsa's runs beside her first
    const all = Promise.all([asks('judit1', 0), asks('judit2', 0), asks('zsuzsa', 1)]);
    await clock.advance(10 * S);
    await all;
    expect(launched).toHaveLength(2);
    expect(answeredAt).toEqual({ judit1: 1 * S, zsuzsa: 1 * S, judit2: 2 * S });
  });

  it('a request carries the node budget of its strength', async () => {
    const clock = new VirtualClock();
    const engine = new BudgetEngine(clock, 1000);
    const pool = new EnginePool({ engines: 1, clock, budget: (elo) => (elo === null ? 9000 : 3000), launch: async () => engine });
    const brain = pool.brain();
    const asked = Promise.all([ask(brain, 'full'), ask(brain, 'elo')]);
    await clock.advance(20 * S);
    await asked;
    expect(engine.searched.map((r) => r.nodes)).toEqual([9000, 3000]);
  });

  it('launches a second engine only when the first is busy', async () => {
    const { clock, pool, launched } = poolOf(2, 1 * S);
    const alone = ask(pool.brain(), 'x');
    await clock.advance(1 * S);
    await alone;
    expect(launched).toHaveLength(1);
    const both = Promise.all([ask(pool.brain(), 'y'), ask(pool.brain(), 'z')]);
    await clock.advance(2 * S);
    await both;
    expect(launched).toHaveLength(2);
    expect(pool.busy).toBe(0);
  });

  it('a request aborted while it waits leaves the queue', async () => {
    const { clock, pool, launched } = poolOf(1, 1 * S);
    const first = ask(pool.brain(), 'first');
    const stop = new AbortController();
    const waiting = pool.brain().think({ startFen: FEN, moves: [], fen: FEN, thinkMs: 60 * S, elo: null, signal: stop.signal });
    await clock.advance(0);
    expect(pool.queueLength).toBe(1);
    stop.abort();
    await expect(waiting).rejects.toThrow();
    expect(pool.queueLength).toBe(0);
    await clock.advance(2 * S);
    await first;
    expect(launched[0].searched).toHaveLength(1);
  });

  it('an engine that cannot start fails the request and is tried again for the next', async () => {
    const clock = new VirtualClock();
    let attempts = 0;
    const pool = new EnginePool({
      engines: 1,
      clock,
      launch: async () => {
        if (++attempts === 1) throw new Error('no engine');
        return new BudgetEngine(clock, 1_000_000);
      },
    });
    await expect(pool.start()).rejects.toThrow('no engine');
    expect(pool.ready).toBe(0);
    await pool.start();
    expect(pool.ready).toBe(1);
  });
});

describe('an engine that fails', () => {
  it('is replaced: Judit asks again on a fresh engine and moves on time', async () => {
    const clock = new VirtualClock();
    let launches = 0;
    const pool = new EnginePool({
      engines: 1,
      clock,
      budget: () => 1000,
      launch: async () => {
        const engine = new BudgetEngine(clock, 1);
        if (++launches === 1) engine.think = async () => Promise.reject(new Error('engine crashed'));
        return engine;
      },
    });
    const exh = new Exhibition('x', parseConfig({ boards: 1, thinkSeconds: 5 }), clock);
    exh.takeSeat('Ada');
    const port = new DirectPort(exh);
    const events: ExhibitionEvent[] = [];
    port.on((e) => events.push(e));
    const failures: number[] = [];
    port.employ({ clock, brain: pool.brain(), onEngineFailure: (table) => failures.push(table) }, (error) => {
      throw error;
    });
    port.run((x) => x.start());
    await clock.advance(5 * S);
    expect(launches).toBe(2);
    expect(juditMoves(events)).toEqual([[1, 5 * S]]);
    expect(failures).toEqual([]);
  });

  it('that cannot start again fails the reset, not the game', async () => {
    const clock = new VirtualClock();
    let launches = 0;
    const pool = new EnginePool({
      engines: 1,
      clock,
      launch: async () => {
        if (++launches > 1) throw new Error('no engine');
        const engine = new BudgetEngine(clock, 1);
        engine.think = async () => Promise.reject(new Error('engine crashed'));
        return engine;
      },
    });
    const brain = pool.brain();
    await expect(ask(brain, 'x')).rejects.toThrow('engine crashed');
    await expect(brain.reset!()).rejects.toThrow('no engine');
  });
});

describe('Judit on the pool', () => {
  /** Exhibitions of one board each on one clock, sharing a pool of one engine. */
  function exhibitions(count: number, searchMs: number) {
    const { clock, pool } = poolOf(1, searchMs);
    const all = Array.from({ length: count }, (_, i) => {
      const exh = new Exhibition(`x${i}`, parseConfig({ boards: 1, thinkSeconds: 5 }), clock);
      exh.takeSeat(`Player ${i}`);
      const port = new DirectPort(exh);
      const events: ExhibitionEvent[] = [];
      port.on((e) => events.push(e));
      port.employ({ clock, brain: pool.brain() }, (error) => {
        throw error;
      });
      return { exh, port, events };
    });
    for (const { port } of all) port.run((x) => x.start());
    return { clock, all };
  }

  it('a node budget reached before her think time: the move waits for the clock', async () => {
    const { clock, all } = exhibitions(1, 1 * S);
    await clock.advance(4.999 * S);
    expect(juditMoves(all[0].events)).toEqual([]);
    await clock.advance(0.001 * S);
    expect(juditMoves(all[0].events)).toEqual([[1, 5 * S]]);
    expect(all[0].exh.stats().engineLateMoves).toBe(0);
  });

  it('a search that would miss her think time stops there, and the move counts as late', async () => {
    // one engine, three exhibitions, 2 s a search: the third gets the engine at 4 s and has 1 s left
    const { clock, all } = exhibitions(3, 2 * S);
    await clock.advance(5 * S);
    expect(all.map(({ events }) => juditMoves(events))).toEqual([[[1, 5 * S]], [[1, 5 * S]], [[1, 5 * S]]]);
    expect(all.map(({ exh }) => exh.stats().engineLateMoves)).toEqual([0, 0, 1]);
  });
});
