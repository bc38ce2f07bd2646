import { Chess } from 'chess.js';
import { describe, expect, it } from 'vitest';
import { STANDARD_FEN } from '../../shared/chess.js';
import { realClock } from '../../server/clock/real.js';
import type { Thought } from '../../server/judit/brain.js';
import { EnginePool } from '../../server/judit/pool.js';
import { StockfishBrain } from '../../server/judit/stockfish-brain.js';

const AFTER_E4 = new Chess();
AFTER_E4.move('e4');

function legal(thought: Thought): boolean {
  const chess = new Chess(AFTER_E4.fen());
  try {
    chess.move({ from: thought.move.slice(0, 2), to: thought.move.slice(2, 4), promotion: thought.move[4] });
    return true;
  } catch {
    return false;
  }
}

/** A pool of one real Stockfish, each launched engine kept for the test to look at. */
function stockfishPool(nodes: number) {
  const engines: StockfishBrain[] = [];
  const searching: (() => void)[] = [];
  const pool = new EnginePool({
    engines: 1,
    clock: realClock,
    budget: () => nodes,
    launch: async () => {
      const engine = new StockfishBrain({
        warmupMs: 0,
        onLine: (line) => {
          if (line.startsWith('info depth')) searching.splice(0).forEach((wake) => wake());
        },
      });
      await engine.start();
      engines.push(engine);
      return engine;
    },
  });
  const untilSearching = () => new Promise<void>((resolve) => searching.push(resolve));
  return { pool, engines, untilSearching };
}

const think = (pool: EnginePool, thinkMs: number) =>
  pool.brain().think({ startFen: STANDARD_FEN, moves: ['e2e4'], fen: AFTER_E4.fen(), thinkMs, elo: null, signal: new AbortController().signal });

describe('the engine pool on Stockfish', () => {
  it('an engine killed mid-search: the request is answered by a fresh one', async () => {
    const { pool, engines, untilSearching } = stockfishPool(50_000_000);
    try {
      await pool.start();
      const first = engines[0].pid as number;
      const searched = untilSearching();
      const thinking = think(pool, 800);
      await searched;
      process.kill(first, 'SIGKILL');
      const thought = await thinking;
      expect(legal(thought)).toBe(true);
      expect(engines[0].stats.restarts).toBe(1);
      expect(engines[0].pid).not.toBe(first);
    } finally {
      await pool.close();
    }
  });

  it('stops at its node budget, and says when the think time cut the search first', async () => {
    const small = stockfishPool(20_000);
    const huge = stockfishPool(50_000_000);
    try {
      const budgeted = await think(small.pool, 60_000);
      expect(legal(budgeted)).toBe(true);
      expect(budgeted.late).toBeUndefined();
      expect(small.engines[0].stats.lastSearch?.nodes).toBeGreaterThanOrEqual(20_000);
      const hurried = await think(huge.pool, 100);
      expect(legal(hurried)).toBe(true);
      expect(hurried.late).toBe(true);
    } finally {
      await Promise.all([small.pool.close(), huge.pool.close()]);
    }
  });
});
