import { Chess } from 'chess.js';
import { endsGame, legalMoves, mates, uciOf } from '../exhibition/raw-moves.js';
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
  /**
   * The game itself, when the caller keeps it: with its history the brain also steers clear of a
   * third repetition. Without it the brain plays from the request's FEN.
   */
  game?: (request: ThinkRequest) => Chess | null;
}

/**
 * A brain that costs next to no CPU: it "thinks" for exactly the requested time on the clock and
 * plays a mate in one when it has one, else a seeded choice among the legal moves. Same seed and
 * position, same move. Its evaluation is the material balance.
 */
export class FastBrain implements Brain {
  private readonly clock: Clock;
  private readonly seed: number;
  private readonly prolong: boolean;
  private readonly game: FastBrainOptions['game'];

  constructor(options: FastBrainOptions) {
    this.clock = options.clock;
    this.seed = options.seed ?? 1;
    this.prolong = options.prolong ?? false;
    this.game = options.game;
  }

  async think(request: ThinkRequest): Promise<Thought> {
    const until = this.clock.now() + request.thinkMs; // the choosing is part of the thinking time
    const chess = this.game?.(request) ?? new Chess(request.fen);
    const choice = chooseMove(chess, seededRandom(this.seed, request.fen), this.prolong);
    const scoreCp = choice.mate ? MATE_CP - 1 : materialCp(chess);
    await this.clock.sleep(until - this.clock.now(), request.signal);
    return { move: choice.uci, scoreCp };
  }

  async close(): Promise<void> {}
}

export interface Choice {
  uci: string;
  /** The move mates. */
  mate: boolean;
}

/**
 * A mate in one if there is one (unless prolonging), else a random legal move; when prolonging, a
 * random move that does not end the game by the rules (mate, stalemate, too little material, a third
 * repetition, the fifty-move rule) while one exists. Repetitions count only in a game that carries
 * its history, not in one loaded from a FEN.
 */
export function chooseMove(chess: Chess, random: () => number, prolong: boolean): Choice {
  const moves = legalMoves(chess);
  if (moves.length === 0) throw new Error(`No legal move in ${chess.fen()}`);
  if (!prolong) {
    const mate = moves.find((m) => mates(chess, m));
    if (mate) return { uci: uciOf(mate), mate: true };
  }
  const first = Math.floor(random() * moves.length);
  for (let i = 0; i < moves.length; i++) {
    const move = moves[(first + i) % moves.length];
    if (!prolong) return { uci: uciOf(move), mate: false };
    if (!endsGame(chess, move)) return { uci: uciOf(move), mate: false };
  }
  return { uci: uciOf(moves[first]), mate: mates(chess, moves[first]) };
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
  return mulberry32(h);
}

/** mulberry32: small, fast, and the same sequence for the same seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
