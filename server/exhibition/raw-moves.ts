/**
 * Moves played through chess.js's internal move list. Its public `move()` builds a verbose Move for
 * every call: the legal moves generated twice, the FEN before and after, the SAN with its own
 * generation; `isGameOver()` generates them again. A simul of a thousand boards plays tens of
 * thousands of moves, so the board keeps only what it needs, and the last few positions' legal moves
 * are kept: choosing a move, playing it and judging the position after it generate each list once.
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
  _moveToSan(move: RawMove, moves: readonly RawMove[]): string;
  _incPositionCount(): void;
  _getPositionCount(hash: unknown): number;
  _hash: bigint;
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

/** Positions (by their Zobrist hash) whose legal moves each game keeps. */
const KEPT_POSITIONS = 4;
const kept = new WeakMap<Chess, Map<bigint, RawMove[]>>();

/** The legal moves of the position on the board. The list is shared: do not change it. */
export function legalMoves(chess: Chess): readonly RawMove[] {
  const c = internals(chess);
  let lists = kept.get(chess);
  if (!lists) kept.set(chess, (lists = new Map()));
  let moves = lists.get(c._hash);
  if (!moves) {
    moves = c._moves({ legal: true });
    if (lists.size >= KEPT_POSITIONS) lists.delete(lists.keys().next().value!);
    lists.set(c._hash, moves);
  }
  return moves;
}

export type RuleEnding = 'checkmate' | 'stalemate' | 'insufficientMaterial' | 'threefoldRepetition' | 'fiftyMoveRule';

/** How the rules end the game in the position on the board, if they do (chess.js's order). */
export function ruleEnding(chess: Chess): RuleEnding | null {
  if (legalMoves(chess).length === 0) return chess.isCheck() ? 'checkmate' : 'stalemate';
  if (chess.isInsufficientMaterial()) return 'insufficientMaterial';
  if (chess.isThreefoldRepetition()) return 'threefoldRepetition';
  if (chess.isDrawByFiftyMoves()) return 'fiftyMoveRule';
  return null;
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
      legalMoves(chess).length === 0 ||
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
    return chess.isCheck() && legalMoves(chess).length === 0;
  } finally {
    c._undoMove();
  }
}
