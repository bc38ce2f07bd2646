import type { BoardSummary, Color } from './domain.js';
/** Small rules helpers shared by both ends. */

export const STANDARD_FEN = 'rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1';

/** A move in UCI form: from square, to square, optional promotion piece. */
export const UCI_PATTERN = /^[a-h][1-8][a-h][1-8][qrbn]?$/;

export interface UciParts {
  from: string;
  to: string;
  promotion?: string;
}

export function parseUci(uci: string): UciParts | null {
  if (!UCI_PATTERN.test(uci)) return null;
  const promotion = uci[4];
  return { from: uci.slice(0, 2), to: uci.slice(2, 4), ...(promotion ? { promotion } : {}) };
}

/** A board before its first move, as every view first shows it. */
export function startingBoard(table: number, opponent: string, juditColor: Color, turnSince = 0): BoardSummary {
  return { table, opponent, juditColor, fen: STANDARD_FEN, lastMove: null, turn: 'white', ply: 0, end: null, drawOffered: false, passes: 0, turnSince };
}
