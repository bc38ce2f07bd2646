import { Chess, type Move, type Square } from 'chess.js';
import type { Clock } from '../clock/clock.js';
import { type Brain, MATE_CP, type ThinkRequest, type Thought } from './brain.js';

const PIECE_CP: Record<string, number> = { p: 100, n: 300, b: 300, r: 500, q: 900, k: 0 };

export interface FastBrainOptions {
  clock: Clock;
  seed?: number;
  /**
   * Never choose a move that ends the game while another exists: the simulator's games then last
   * exactly as many moves as it asks for.
   */
  prolong?: boolean;
}

/**
 * A brain that costs no CPU: it "thinks" for exactly the requested time on the clock, then plays a
 * mate in one when it has one, else a seeded choice among the legal moves. Same seed and position,
 * same move.
 */
export class FastBrain implements Brain {
  private readonly clock: Clock;
  private readonly seed: number;
  private readonly prolong: boolean;

  constructor(options: FastBrainOptions) {
    this.clock = options.clock;
    this.seed = options.seed ?? 1;
    this.prolong = options.prolong ?? false;
  }

  async think(request: ThinkRequest): Promise<Thought> {
    await this.clock.sleep(request.thinkMs, request.signal);
    const chess = new Chess(request.fen);
    const move = chooseMove(chess, seededRandom(this.seed, request.fen), this.prolong);
    chess.move(move);
    const scoreCp = chess.isCheckmate() ? MATE_CP - 1 : -materialCp(chess);
    return { move: move.lan, scoreCp };
  }

  async close(): Promise<void> {}
}

/**
 * A mate in one if there is one (unless prolonging), else a random legal move; when prolonging, a
 * random move that does not end the game while one exists. Moves are drawn piece by piece because
 * listing every legal move with chess.js costs far more than listing one piece's.
 */
export function chooseMove(chess: Chess, random: () => number, prolong: boolean): Move {
  if (!prolong) {
    const all = chess.moves({ verbose: true });
    for (const m of all) {
      chess.move(m);
      const mate = chess.isCheckmate();
      chess.undo();
      if (mate) return m;
    }
  }
  let fallback: Move | null = null;
  for (const square of shuffled(ownSquares(chess), random)) {
    const moves = chess.moves({ square, verbose: true });
    if (moves.length === 0) continue;
    const first = Math.floor(random() * moves.length);
    for (let i = 0; i < moves.length; i++) {
      const m = moves[(first + i) % moves.length];
      if (!prolong) return m;
      fallback ??= m;
      chess.move(m);
      const ends = chess.isGameOver();
      chess.undo();
      if (!ends) return m;
    }
  }
  if (!fallback) throw new Error(`No legal move in ${chess.fen()}`);
  return fallback;
}

function ownSquares(chess: Chess): Square[] {
  const us = chess.turn();
  const squares: Square[] = [];
  for (const row of chess.board()) for (const sq of row) if (sq && sq.color === us) squares.push(sq.square);
  return squares;
}

function shuffled<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Material balance in centipawns from the side to move's point of view. */
export function materialCp(chess: Chess): number {
  let cp = 0;
  const us = chess.turn();
  for (const row of chess.board()) {
    for (const sq of row) {
      if (sq) cp += (sq.color === us ? 1 : -1) * PIECE_CP[sq.type];
    }
  }
  return cp;
}

/** mulberry32 seeded from the seed and the position: deterministic, cheap, good enough to pick moves. */
export function seededRandom(seed: number, key: string): () => number {
  let h = seed ^ 0x9e3779b9;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x85ebca6b);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
