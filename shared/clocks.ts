import type { ClockSetting } from './config.js';
import type { BoardClocks, BoardSummary, Side } from './domain.js';

/** Both clocks of a board before its first move: Judit has her extra time on top. */
export function initialClocks(clock: ClockSetting | null): BoardClocks | null {
  if (!clock) return null;
  const opponent = clock.initialSeconds * 1000;
  return { judit: opponent + clock.giverExtraSeconds * 1000, opponent };
}

/**
 * Milliseconds left on `side`'s clock at `now`: the side to move's runs down from when it got the
 * move. Pass the moment of a pause as `now` while the exhibition is paused: every clock stands.
 */
export function clockLeft(board: Pick<BoardSummary, 'clocks' | 'turn' | 'juditColor' | 'turnSince' | 'end'>, side: Side, now: number): number | null {
  if (!board.clocks) return null;
  const toMove: Side = board.turn === board.juditColor ? 'judit' : 'opponent';
  const left = board.clocks[side];
  return board.end === null && side === toMove ? Math.max(0, left - (now - board.turnSince)) : left;
}
