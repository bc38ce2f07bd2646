import { Chess, type Square } from 'chess.js';
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
 * A brain that costs next to no CPU: it "thinks" for exactly the requested time on the clock and
 * plays a mate in one when it has one, else a seeded choice among the legal moves. Same seed and
 * position, same move. Its evaluation is the material balance.
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
    const until = this.clock.now() + request.thinkMs; // the choosing is part of the thinking time
    const chess = new Chess(request.fen);
    const choice = chooseMove(chess, seededRandom(this.seed, request.fen), this.prolong);
    const scoreCp = choice.san.endsWith('#') ? MATE_CP - 1 : materialCp(chess);
    await this.clock.sleep(until - this.clock.now(), request.signal);
    return { move: choice.uci, scoreCp };
  }

  async close(): Promise<void> {}
}

export interface Choice {
  uci: string;
  san: string;
}

/**
 * A mate in one if there is one (unless prolonging), else a random legal move; when prolonging, a
 * random move that does not mate while one exists. Moves are listed piece by piece and as SAN:
 * chess.js builds each verbose move by generating every legal move again, which costs far more.
 */
export function chooseMove(chess: Chess, random: () => number, prolong: boolean): Choice {
  if (!prolong) {
    for (const square of ownSquares(chess)) {
      const mate = chess.moves({ square }).find((san) => san.endsWith('#'));
      if (mate) return { san: mate, uci: sanToUci(square, mate, chess.turn()) };
    }
  }
  let fallback: Choice | null = null;
  for (const square of shuffled(ownSquares(chess), random)) {
    const moves = chess.moves({ square });
    const first = Math.floor(random() * moves.length);
    for (let i = 0; i < moves.length; i++) {
      const san = moves[(first + i) % moves.length];
      const choice = { san, uci: sanToUci(square, san, chess.turn()) };
      if (!prolong || !san.endsWith('#')) return choice;
      fallback ??= choice;
    }
  }
  if (!fallback) throw new Error(`No legal move in ${chess.fen()}`);
  return fallback;
}

/** The UCI of a SAN move made by the piece on `from`. */
function sanToUci(from: Square, san: string, turn: 'w' | 'b'): string {
  const rank = turn === 'w' ? '1' : '8';
  if (san.startsWith('O-O-O')) return `e${rank}c${rank}`;
  if (san.startsWith('O-O')) return `e${rank}g${rank}`;
  const match = /([a-h][1-8])(?:=([QRBN]))?[+#]?$/.exec(san);
  if (!match) throw new Error(`Unexpected SAN ${san}`);
  return from + match[1] + (match[2]?.toLowerCase() ?? '');
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
