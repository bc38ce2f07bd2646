/** Judit's score, +W =D −L, coloured as on a crosstable. */
import type { ResultsTally } from '../../../shared/domain.js';
import { h, setText } from '../dom.js';

export class TallyView {
  private readonly wins = h('span', { class: 'tally-w' });
  private readonly draws = h('span', { class: 'tally-d' });
  private readonly losses = h('span', { class: 'tally-l' });
  readonly el = h('span', { class: 'tally', 'data-testid': 'tally' }, this.wins, ' ', this.draws, ' ', this.losses);

  constructor(tally?: ResultsTally) {
    if (tally) this.update(tally);
  }

  update(t: ResultsTally): void {
    setText(this.wins, `+${t.wins}`);
    setText(this.draws, `=${t.draws}`);
    setText(this.losses, `−${t.losses}`);
    this.el.title = `Judit won ${t.wins}, drew ${t.draws}, lost ${t.losses}${t.unfinished ? `; ${t.unfinished} unfinished` : ''}`;
  }
}
