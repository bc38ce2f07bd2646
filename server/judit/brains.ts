import type { Clock } from '../clock/clock.js';
import type { Brain } from './brain.js';
import { FastBrain } from './fast-brain.js';
import { EnginePool } from './pool.js';
import { type StockfishOptions, StockfishBrain } from './stockfish-brain.js';

export type BrainKind = 'stockfish' | 'fast';

/** The brain the environment asks for: `SIMUL_BRAIN=fast` for development, Stockfish otherwise. */
export function brainKind(env: NodeJS.ProcessEnv = process.env): BrainKind {
  return env.SIMUL_BRAIN?.trim().toLowerCase() === 'fast' ? 'fast' : 'stockfish';
}

/** Where every exhibition's Judit gets her brain, and the engine pool behind them when there is one. */
export interface Brains {
  /** A brain ready to think, or the reason none can be had (no engine starts). */
  forExhibition(): Promise<Brain>;
  pool: EnginePool | null;
  close(): Promise<void>;
}

/**
 * Stockfish: one pool of `engines` processes shared by every exhibition, the first started with the
 * first exhibition. The fast brain: one per exhibition, thinking on `clock`.
 */
export function createBrains(kind: BrainKind, clock: Clock, engines: number, options: StockfishOptions = {}): Brains {
  if (kind === 'fast') {
    return { forExhibition: async () => new FastBrain({ clock }), pool: null, close: async () => {} };
  }
  const pool = new EnginePool({ engines, clock, launch: () => launchStockfish(options) });
  return {
    forExhibition: async () => {
      await pool.start();
      return pool.brain();
    },
    pool,
    close: () => pool.close(),
  };
}

/** One Stockfish process, started and warmed up; rejects with the reason when it cannot start. */
export async function launchStockfish(options: StockfishOptions = {}): Promise<Brain> {
  const brain = new StockfishBrain(options);
  try {
    await brain.start();
  } catch (error) {
    await brain.close();
    throw error;
  }
  return brain;
}
