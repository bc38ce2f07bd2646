import type { Clock } from '../clock/clock.js';
import type { Brain } from './brain.js';
import { FastBrain } from './fast-brain.js';
import { type StockfishOptions, StockfishBrain } from './stockfish-brain.js';

export type BrainKind = 'stockfish' | 'fast';

/** The brain the environment asks for: `SIMUL_BRAIN=fast` for development, Stockfish otherwise. */
export function brainKind(env: NodeJS.ProcessEnv = process.env): BrainKind {
  return env.SIMUL_BRAIN?.trim().toLowerCase() === 'fast' ? 'fast' : 'stockfish';
}

/**
 * A brain for one exhibition. Stockfish is launched and warmed up at once, in the background: an
 * engine that cannot start fails Judit's first think with a clear message (and `ready` tells it
 * earlier to whoever awaits it). The fast brain thinks on `clock`; Stockfish on real time.
 */
export function createBrain(kind: BrainKind, clock: Clock, options: StockfishOptions = {}): Brain {
  switch (kind) {
    case 'fast':
      return new FastBrain({ clock });
    case 'stockfish': {
      const brain = new StockfishBrain(options);
      brain.start().catch(() => {}); // the failure is told again by `ready` and by every think
      return brain;
    }
  }
}

/** Resolves once the brain can think; rejects with the reason when its engine cannot start. */
export async function ready(brain: Brain): Promise<void> {
  if (brain instanceof StockfishBrain) await brain.start();
}
