import type { ExhibitionConfig } from '../../shared/config.js';
import type { Board } from '../exhibition/board.js';

/**
 * Judit takes a draw when the game is past the opening and she is not better: level within the
 * host's margin, or worse.
 */
export function acceptsDraw(config: ExhibitionConfig, board: Board, scoreCp: number): boolean {
  const fullMove = Math.floor(board.ply / 2) + 1;
  return fullMove >= config.drawMinMove && scoreCp <= config.drawMaxCp;
}
