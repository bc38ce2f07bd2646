/** The moves of one game in SAN, numbered in pairs as on a score sheet. */
import type { MoveRecord } from '../../../shared/domain.js';
import { h, replace } from '../dom.js';
import { sanInWords } from '../speech.js';

/** Keys that step through the moves, and where each goes from move `i` of `n`. */
const STEPS: Record<string, (i: number, n: number) => number> = {
  ArrowLeft: (i) => i - 1,
  ArrowUp: (i) => i - 1,
  ArrowRight: (i) => i + 1,
  ArrowDown: (i) => i + 1,
  Home: () => 0,
  End: (_i, n) => n - 1,
};

/** Focusable with Tab; the arrow keys (and Home, End) then step through the moves, each read out. */
export class MoveList {
  readonly el = h('div', { class: 'moves', 'aria-label': 'Moves (arrow keys step through them)', role: 'log', tabindex: 0 });
  private count = 0;
  private firstFullmove = 1;
  private blackFirst = false;

  /** `opponent` names Judit's opponent in what is read out ("you" on the player's own page). */
  constructor(
    private readonly empty = 'No moves yet.',
    private readonly opponent = 'her opponent',
  ) {
    this.set([], undefined);
    this.el.addEventListener('keydown', (event) => {
      const step = STEPS[event.key];
      if (!step) return;
      const moves = [...this.el.querySelectorAll<HTMLElement>('.move[data-ply]')];
      if (!moves.length) return;
      event.preventDefault();
      const at = moves.indexOf(document.activeElement as HTMLElement);
      // from the list itself, Home and End still go to their ends; an arrow starts from the latest move
      const from = at === -1 && event.key !== 'Home' && event.key !== 'End' ? moves.length : at;
      const next = Math.max(0, Math.min(moves.length - 1, step(from, moves.length)));
      moves[next].focus();
    });
  }

  /** Replaces the whole list. */
  set(moves: readonly MoveRecord[], startFen: string | undefined): void {
    const fields = (startFen ?? '').split(' ');
    this.blackFirst = fields[1] === 'b';
    this.firstFullmove = Number(fields[5]) || 1;
    this.count = 0;
    replace(this.el, h('p', { class: 'moves-empty' }, this.empty));
    for (const m of moves) this.append(m);
  }

  /** Adds the next move; moves already shown are ignored. */
  append(move: MoveRecord): void {
    if (move.ply <= this.count) return;
    if (this.count === 0) this.el.textContent = '';
    const index = move.ply - 1 + (this.blackFirst ? 1 : 0); // half-moves counted from a white move
    const white = index % 2 === 0;
    if (white || this.count === 0) {
      this.el.appendChild(h('span', { class: 'move-no' }, `${this.firstFullmove + Math.floor(index / 2)}.`));
      if (!white) this.el.appendChild(h('span', { class: 'move move-empty' }, '…'));
    }
    this.el.querySelector('.move.last')?.classList.remove('last');
    const number = `${this.firstFullmove + Math.floor(index / 2)}${white ? '.' : '…'}`;
    const label = `${number} ${move.by === 'judit' ? 'Judit' : this.opponent}: ${sanInWords(move.san)}`;
    this.el.appendChild(h('span', { class: `move last ${move.by}`, 'data-ply': move.ply, tabindex: -1, 'aria-label': label }, move.san));
    this.count = move.ply;
    this.el.scrollTop = this.el.scrollHeight;
  }

  get length(): number {
    return this.count;
  }
}
