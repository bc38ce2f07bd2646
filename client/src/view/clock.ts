/** A chess clock on a board's player bar: the time left, marked while it runs and when it runs low. */
import type { BoardSummary, ExhibitionStatus, Side } from '../../../shared/domain.js';
import { clock } from '../format.js';
import { h, type VNode } from '../vdom.js';

const LOW_MS = 20_000;

/** `left`: milliseconds on `side`'s clock now (null without clocks: nothing is shown). */
export function clockFace(board: BoardSummary, side: Side, left: number | null, status: ExhibitionStatus): VNode | null {
  if (left === null) return null;
  const runs = status === 'running' && !board.end && (board.turn === board.juditColor) === (side === 'judit');
  return h('span.clock', { class: { running: runs, low: left < LOW_MS }, attrs: { 'data-testid': `clock-${side}` } }, clock(left));
}
