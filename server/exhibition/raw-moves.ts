/**
 * Moves played through chess.js's internal move list. Its public `move()` builds a verbose Move for
 * every call: the legal moves generated twice, the FEN before and after, the SAN with its own
 * generation. A simul of a thousand boards plays tens of thousands of moves, so the board keeps only
 * what it needs: one generation, the SAN, the move made and counted for repetitions.
 */
import type { Chess } from 'chess.js';
import type { UciParts } from '../../shared/chess.js';

/** chess.js's move as it keeps it: squares are 0x88 indices. */
export interface RawMove {
  from: number;
  to: number;
  piece: string;
  captured?: string;
  promotion?: string;
  flags: number;
}

interface ChessInternals {
  _moves(options?: { legal?: boolean }): RawMove[];
  _makeMove(move: RawMove): void;
  _undoMove(): RawMove | null;
  _moveToSan(move: RawMove, moves: RawMove[]): string;
  _incPositionCount(): void;
  _getPositionCount(hash: unknown): number;
  _hash: unknown;
  _halfMoves: number;
}

const internals = (chess: Chess) => chess as unknown as ChessInternals;

/** a8 = 0x00 … h1 = 0x77. */
export function squareName(index: number): string {
  return 'abcdefgh'[index & 7] + String(8 - (index >> 4));
}

export function uciOf(move: RawMove): string {
  return squareName(move.from) + squareName(move.to) + (move.promotion ?? '');
}

export function legalMoves(chess: Chess): RawMove[] {
  return internals(chess)._moves({ legal: true });
}

/**
 * Plays `parts` when it is legal here, written exactly (a promotion letter only on a promotion),
 * and returns its SAN; null otherwise, the game untouched.
 */
export function playUci(chess: Chess, parts: UciParts): string | null {
  const moves = legalMoves(chess);
  const move = moves.find(
    (m) => squareName(m.from) === parts.from && squareName(m.to) === parts.to && m.promotion === parts.promotion,
  );
  if (!move) return null;
  const san = internals(chess)._moveToSan(move, moves);
  playRaw(chess, move);
  return san;
}

/** Makes a move from the list, counted for threefold repetition as chess.js's `move()` counts it. */
export function playRaw(chess: Chess, move: RawMove): void {
  const c = internals(chess);
  c._makeMove(move);
  c._incPositionCount();
}

/**
 * Whether `move` would end the game by the rules: mate, stalemate, too little material, a third
 * repetition or the fifty-move rule. The game is left as it was.
 */
export function endsGame(chess: Chess, move: RawMove): boolean {
  const c = internals(chess);
  c._makeMove(move);
  try {
    return (
      c._halfMoves >= 100 ||
      c._getPositionCount(c._hash) >= 2 || // this position twice before: the move makes it three
      c._moves({ legal: true }).length === 0 ||
      chess.isInsufficientMaterial()
    );
  } finally {
    c._undoMove();
  }
}

/** Whether `move` mates. The game is left as it was. */
export function mates(chess: Chess, move: RawMove): boolean {
  const c = internals(chess);
  c._makeMove(move);
  try {
    return chess.isCheck() && c._moves({ legal: true }).length === 0;
  } finally {
    c._undoMove();
  }
}
