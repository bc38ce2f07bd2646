import type { JuditColorSetting } from './config.js';
import type { BoardClocks, BoardSummary, Color } from './domain.js';
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
export function startingBoard(table: number, opponent: string, juditColor: Color, turnSince = 0, clocks: BoardClocks | null = null): BoardSummary {
  return { table, opponent, juditColor, fen: STANDARD_FEN, lastMove: null, turn: 'white', ply: 0, end: null, drawOffered: false, passes: 0, turnSince, clocks };
}

export const otherColor = (c: Color): Color => (c === 'white' ? 'black' : 'white');

/**
 * Judit's colour at a table. `random` is drawn from the exhibition's id and the table, so a restart
 * (or a browser) draws the same; under `choose` she takes the colour the player did not pick, and a
 * player who picked none gets the random draw.
 */
export function juditColorAt(setting: JuditColorSetting, table: number, exhibitionId: string, playerPick: Color | null = null): Color {
  switch (setting) {
    case 'white':
    case 'black':
      return setting;
    case 'alternate':
      return table % 2 === 1 ? 'white' : 'black';
    case 'choose':
      if (playerPick) return otherColor(playerPick);
      return juditColorAt('random', table, exhibitionId);
    case 'random':
      return mix(`${exhibitionId}:${table}`) & 1 ? 'white' : 'black';
  }
}

/** FNV-1a then murmur3's finaliser: every bit of the result depends on every character. */
function mix(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
