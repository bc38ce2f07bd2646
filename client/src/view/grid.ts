/**
 * Every board of an exhibition as live mini boards. Built for a hundred of them: changes are
 * batched to one animation frame, only the boards that changed are touched, and a board's pieces
 * are drawn only once it scrolls into view.
 */
import type { BoardSummary, ExhibitionStatus, JuditWhereabouts } from '../../../shared/domain.js';
import { h, setText, toggle } from '../dom.js';
import { endHeadline, endReason, resultText } from '../format.js';
import type { LiveExhibition } from '../live.js';
import { BoardView } from './board.js';

export interface GridSource {
  board(table: number): BoardSummary | undefined;
  tables(): number[];
  status(): ExhibitionStatus;
  judit(): JuditWhereabouts;
}

/** The grid of a live exhibition: its boards in table order, its status, Judit. */
export function liveGridSource(live: LiveExhibition): GridSource {
  return {
    board: (t) => live.boards.get(t),
    tables: () => live.boardList().map((b) => b.table),
    status: () => live.status,
    judit: () => live.snapshot.judit,
  };
}

interface Cell {
  table: number;
  el: HTMLAnchorElement;
  name: HTMLElement;
  judit: HTMLElement;
  status: HTMLElement;
  result: HTMLElement;
  boardEl: HTMLElement;
  view: BoardView | null;
  /** The ply and end the board view last showed. */
  shown: string;
}

const BOARDS_BUILT_PER_FRAME = 4;

const JUDIT_HERE: Record<JuditWhereabouts['activity'], string> = {
  idle: '',
  walking: 'Judit walking here',
  thinking: 'Judit thinking',
  waiting: 'Judit waiting',
  resting: 'Judit resting here',
};

export class BoardGrid {
  readonly el = h('div', { class: 'grid' });
  private readonly cells = new Map<number, Cell>();
  private readonly dirty = new Set<number>();
  /** Boards scrolled into view, waiting to be drawn for the first time (a few per frame). */
  private readonly appearing = new Set<number>();
  private frame = 0;
  private juditTable: number | null = null;
  private selected: number | null = null;
  private readonly observer: IntersectionObserver;

  constructor(
    private readonly source: GridSource,
    private readonly href: (table: number) => string,
  ) {
    this.observer = new IntersectionObserver((entries) => this.onVisible(entries), { rootMargin: '300px 0px' });
    const empty = h('p', { class: 'grid-empty' }, 'No one has taken a seat yet.');
    this.el.appendChild(empty);
    this.sync();
  }

  /** Adds and removes cells to match the seated boards, and redraws them all. */
  sync(): void {
    const tables = this.source.tables();
    const wanted = new Set(tables);
    for (const [table, cell] of this.cells) {
      if (wanted.has(table)) continue;
      this.observer.unobserve(cell.boardEl);
      cell.view?.destroy();
      cell.el.remove();
      this.cells.delete(table);
      this.appearing.delete(table);
    }
    let previous: Element | null = null;
    for (const table of tables) {
      let cell = this.cells.get(table);
      if (!cell) {
        cell = this.cell(table);
        this.cells.set(table, cell);
        this.observer.observe(cell.boardEl);
      }
      const next: Element | null = previous ? previous.nextElementSibling : this.el.firstElementChild;
      if (next !== cell.el) this.el.insertBefore(cell.el, next);
      previous = cell.el;
      this.dirty.add(table);
    }
    toggle(this.el, 'is-empty', tables.length === 0);
    this.schedule();
  }

  /** A board changed: redrawn at the next frame, however many changes come before it. */
  touch(table: number): void {
    this.dirty.add(table);
    this.schedule();
  }

  /** Judit moved on (or started doing something else): her old and new boards change. */
  touchJudit(): void {
    const table = this.source.judit().table;
    if (this.juditTable !== null) this.dirty.add(this.juditTable);
    if (table !== null) this.dirty.add(table);
    this.juditTable = table;
    this.schedule();
  }

  /** Every board (the exhibition's status changed the wording of all). */
  touchAll(): void {
    for (const table of this.cells.keys()) this.dirty.add(table);
    this.schedule();
  }

  select(table: number | null): void {
    if (this.selected === table) return;
    if (this.selected !== null) this.dirty.add(this.selected);
    if (table !== null) this.dirty.add(table);
    this.selected = table;
    this.schedule();
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.observer.disconnect();
    for (const cell of this.cells.values()) cell.view?.destroy();
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  private flush(): void {
    this.frame = 0;
    for (const table of this.dirty) this.render(table);
    this.dirty.clear();
    // building a board costs a few milliseconds: a whole screenful at once would drop frames
    let budget = BOARDS_BUILT_PER_FRAME;
    for (const table of this.appearing) {
      if (budget-- === 0) break;
      this.appearing.delete(table);
      this.build(table);
    }
    if (this.appearing.size) this.schedule();
  }

  private build(table: number): void {
    const cell = this.cells.get(table);
    const board = this.source.board(table);
    if (!cell || cell.view || !board) return;
    cell.view = new BoardView(cell.boardEl, { orientation: board.juditColor, mini: true });
    this.draw(cell, board);
  }

  private cell(table: number): Cell {
    const name = h('span', { class: 'cell-name' });
    const judit = h('span', { class: 'cell-judit' });
    const status = h('span', { class: 'cell-status' });
    const result = h('span', { class: 'cell-result' });
    const boardEl = h('div', { class: 'mini-board' });
    const el = h(
      'a',
      { class: 'cell', href: this.href(table), 'data-table': table },
      h('div', { class: 'cell-head' }, h('span', { class: 'cell-table' }, h('span', { class: 'sr-only' }, 'Table '), String(table)), name, judit),
      h('div', { class: 'cell-board' }, boardEl),
      h('div', { class: 'cell-foot' }, status, result),
    );
    return { table, el, name, judit, status, result, boardEl, view: null, shown: '' };
  }

  private render(table: number): void {
    const cell = this.cells.get(table);
    const board = this.source.board(table);
    if (!cell || !board) return;
    const status = this.source.status();
    const judit = this.source.judit();
    const here = judit.table === table && (status === 'running' || status === 'paused') && !board.end;

    cell.el.dataset.ply = String(board.ply);
    cell.el.dataset.fen = board.fen;
    cell.el.dataset.result = board.end?.result ?? '';
    setText(cell.name, board.opponent);
    setText(cell.judit, here ? JUDIT_HERE[judit.activity] : '');
    toggle(cell.el, 'here', here);
    toggle(cell.el, 'thinking', here && judit.activity === 'thinking');
    toggle(cell.el, 'walking', here && judit.activity === 'walking');
    toggle(cell.el, 'selected', this.selected === table);
    toggle(cell.el, 'over', board.end !== null);

    let text: string;
    if (board.end) text = endHeadline(board.end, board.opponent);
    else if (status === 'open') text = 'Waiting for the start';
    else if (status === 'aborted') text = 'Unfinished';
    else if (board.drawOffered) text = 'Draw offered';
    else text = board.turn === board.juditColor ? 'Judit to move' : `${board.opponent} to move`;
    setText(cell.status, text);
    cell.status.title = board.end ? endReason(board.end, board.opponent) : '';
    setText(cell.result, board.end ? resultText(board.end) : board.ply > 0 ? `move ${Math.ceil(board.ply / 2)}` : '');
    toggle(cell.result, 'final', board.end !== null);

    this.draw(cell, board);
  }

  private draw(cell: Cell, board: BoardSummary): void {
    if (!cell.view) return; // not yet scrolled into view: drawn when it is
    const key = `${board.fen}|${board.lastMove}|${board.juditColor}`;
    if (cell.shown === key) return;
    cell.shown = key;
    cell.view.setOrientation(board.juditColor);
    cell.view.show({ fen: board.fen, lastMove: board.lastMove, turn: board.turn, check: false });
  }

  private onVisible(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const table = Number((entry.target.closest('.cell') as HTMLElement | null)?.dataset.table);
      const cell = this.cells.get(table);
      if (!cell || cell.view) continue;
      this.observer.unobserve(cell.boardEl);
      this.appearing.add(table);
    }
    this.schedule();
  }
}
