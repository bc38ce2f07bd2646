/**
 * A finished game stepped through move by move: buttons for the first, previous, next and last
 * position, and the arrow keys (Home and End too) anywhere on the page but in a text field.
 */
import { Chess } from 'chess.js';
import { parseUci } from '../../../shared/chess.js';
import type { Color, MoveRecord } from '../../../shared/domain.js';
import { h, type VNode } from '../vdom.js';

/** A position of the game, as a board view shows it. */
export interface ReplayPosition {
  fen: string;
  lastMove: string | null;
  turn: Color;
  check: boolean;
}

export class Replay {
  /** The ply shown; null shows the final position, whatever it is. */
  private shown: number | null = null;
  private game: { startFen: string; moves: readonly MoveRecord[] } | null = null;
  private readonly cache = new Map<number, ReplayPosition>();
  private readonly onKey = (event: KeyboardEvent) => this.key(event);

  constructor(private readonly redraw: () => void) {
    document.addEventListener('keydown', this.onKey);
  }

  dispose(): void {
    document.removeEventListener('keydown', this.onKey);
  }

  /** The finished game to step through, or null while none is shown (the keys do nothing then). */
  load(startFen: string | undefined, moves: readonly MoveRecord[] | null): void {
    const next = startFen !== undefined && moves ? { startFen, moves } : null;
    const same = next && this.game && next.startFen === this.game.startFen && next.moves.length === this.game.moves.length && next.moves[0] === this.game.moves[0];
    if (same) return;
    this.game = next;
    this.shown = null;
    this.cache.clear();
  }

  get active(): boolean {
    return this.game !== null;
  }

  get ply(): number {
    return this.shown ?? this.total;
  }

  /** The position at the ply shown. */
  position(): ReplayPosition | null {
    if (!this.game) return null;
    const ply = this.ply;
    let position = this.cache.get(ply);
    if (!position) {
      const chess = new Chess(this.game.startFen);
      for (const m of this.game.moves.slice(0, ply)) chess.move(parseUci(m.uci)!);
      position = {
        fen: chess.fen(),
        lastMove: this.game.moves[ply - 1]?.uci ?? null,
        turn: chess.turn() === 'w' ? 'white' : 'black',
        check: chess.inCheck(),
      };
      this.cache.set(ply, position);
    }
    return position;
  }

  go(ply: number): void {
    const to = Math.max(0, Math.min(this.total, ply));
    this.shown = to === this.total ? null : to;
    this.redraw();
  }

  controls(): VNode | null {
    if (!this.game) return null;
    const ply = this.ply;
    const total = this.total;
    const button = (label: string, text: string, to: number, disabled: boolean, testId: string) =>
      h('button.btn.btn-small.btn-quiet', { attrs: { type: 'button', 'aria-label': label, title: label, 'data-testid': testId }, props: { disabled }, on: { click: () => this.go(to) } }, text);
    return h('div.replay', { attrs: { role: 'group', 'aria-label': 'Replay the game' } }, [
      button('First position', '«', 0, ply === 0, 'replay-first'),
      button('Previous move', '◀', ply - 1, ply === 0, 'replay-prev'),
      h('span.replay-at', { attrs: { 'aria-live': 'polite', 'data-testid': 'replay-at' } }, `move ${ply} of ${total}`),
      button('Next move', '▶', ply + 1, ply === total, 'replay-next'),
      button('Last position', '»', total, ply === total, 'replay-last'),
    ]);
  }

  private get total(): number {
    return this.game?.moves.length ?? 0;
  }

  private key(event: KeyboardEvent): void {
    if (!this.game || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target as HTMLElement | null;
    if (target?.closest('input, textarea, select, [contenteditable="true"]')) return;
    if (target?.closest('.moves')) {
      // the move list stepped its focus first: the board follows the move it reached
      const ply = Number((document.activeElement as HTMLElement | null)?.dataset.ply);
      if (ply > 0) this.go(ply);
      return;
    }
    const steps: Record<string, number> = { ArrowLeft: this.ply - 1, ArrowRight: this.ply + 1, Home: 0, End: this.total };
    if (!(event.key in steps)) return;
    event.preventDefault();
    this.go(steps[event.key]);
  }
}
