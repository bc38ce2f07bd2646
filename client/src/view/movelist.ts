/** The moves of one game in SAN, numbered in pairs as on a score sheet. */
import type { MoveRecord } from '../../../shared/domain.js';
import { h, replace } from '../dom.js';

export class MoveList {
  readonly el = h('div', { class: 'moves', 'aria-label': 'Moves', role: 'log' });
  private count = 0;
  private firstFullmove = 1;
  private blackFirst = false;

  constructor(private readonly empty = 'No moves yet.') {
    this.set([], undefined);
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
    this.el.appendChild(h('span', { class: `move last ${move.by}`, 'data-ply': move.ply }, move.san));
    this.count = move.ply;
    this.el.scrollTop = this.el.scrollHeight;
  }

  get length(): number {
    return this.count;
  }
}
