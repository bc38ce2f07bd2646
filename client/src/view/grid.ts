/**
 * Every board of an exhibition as live mini boards. Built for a hundred of them: a redraw renders
 * again only the boards whose summary, Judit's presence or selection changed (one thunk per board),
 * and a board's pieces are drawn only once it scrolls into view, a few a frame.
 */
import type { BoardSummary, ExhibitionStatus, JuditWhereabouts, Side } from '../../../shared/domain.js';
import { clock, endHeadline, endReason, resultText } from '../format.js';
import type { LiveExhibition } from '../live.js';
import { perFrame } from '../frame.js';
import { h, thunk, type VNode } from '../vdom.js';
import { BoardView } from './board.js';

export interface GridSource {
  board(table: number): BoardSummary | undefined;
  tables(): number[];
  status(): ExhibitionStatus;
  /** Where the giver of `table` is (Judit, or the sister who walks its section), and her name. */
  giverAt(table: number): JuditWhereabouts;
  giverName(table: number): string;
  /** Milliseconds left on a side's clock at this moment; null without clocks. */
  clockLeft(board: BoardSummary, side: Side): number | null;
}

/** The grid of a live exhibition: its boards in table order, its status, Judit. */
export function liveGridSource(live: LiveExhibition): GridSource {
  return {
    board: (t) => live.boards.get(t),
    tables: () => live.boardList().map((b) => b.table),
    status: () => live.status,
    giverAt: (t) => live.giverAt(t),
    giverName: (t) => live.giverNameAt(t),
    clockLeft: (b, side) => live.clockLeft(b, side),
  };
}

const BOARDS_BUILT_PER_FRAME = 4;

const GIVER_HERE: Record<JuditWhereabouts['activity'], string> = {
  idle: '',
  walking: 'walking here',
  thinking: 'thinking',
  waiting: 'waiting',
  resting: 'resting here',
};

/** A mini board's element, and its chessground once it has scrolled into view. */
interface MiniBoard {
  el: HTMLElement;
  view: BoardView | null;
  /** The position it last showed. */
  shown: string;
}

export class BoardGrid {
  private readonly minis = new Map<number, MiniBoard>();
  /** Boards scrolled into view, waiting to be drawn for the first time (a few per frame). */
  private readonly appearing = new Set<number>();
  private readonly building = perFrame(() => this.buildSome());
  private readonly observer: IntersectionObserver;
  /** One function for every cell's thunk: a cell renders again only when its arguments change. */
  private readonly renderCell = (
    board: BoardSummary,
    status: ExhibitionStatus,
    giver: string,
    juditHere: JuditWhereabouts['activity'] | null,
    selected: boolean,
    juditClock: string,
    opponentClock: string,
  ) => this.cell(board, status, giver, juditHere, selected, juditClock, opponentClock);

  constructor(
    private readonly source: GridSource,
    private readonly href: (table: number) => string,
  ) {
    this.observer = new IntersectionObserver((entries) => this.onVisible(entries), { rootMargin: '300px 0px' });
  }

  view(selected: number | null): VNode {
    const status = this.source.status();
    const playing = status === 'running' || status === 'paused';
    const cells: VNode[] = [];
    for (const table of this.source.tables()) {
      const board = this.source.board(table);
      if (!board) continue;
      const giver = this.source.giverAt(table);
      const here = playing && giver.table === table && !board.end ? giver.activity : null;
      // a clock's text is an argument: a cell renders again when its running clock shows another second
      const face = (side: Side) => {
        const left = this.source.clockLeft(board, side);
        return left === null ? '' : clock(left);
      };
      cells.push(thunk('a.cell', table, this.renderCell, [board, status, this.source.giverName(table), here, selected === table, face('judit'), face('opponent')]));
    }
    return h('div.grid', { class: { 'is-empty': cells.length === 0 } }, [h('p.grid-empty', 'No one has taken a seat yet.'), ...cells]);
  }

  dispose(): void {
    this.building.cancel();
    this.observer.disconnect();
    for (const mini of this.minis.values()) mini.view?.destroy();
    this.minis.clear();
  }

  private cell(
    board: BoardSummary,
    status: ExhibitionStatus,
    giver: string,
    here: JuditWhereabouts['activity'] | null,
    selected: boolean,
    juditClock: string,
    opponentClock: string,
  ): VNode {
    const table = board.table;
    let text: string;
    if (board.end) text = endHeadline(board.end, board.opponent, giver);
    else if (status === 'open') text = 'Waiting for the start';
    else if (status === 'aborted') text = 'Unfinished';
    else if (board.drawOffered) text = 'Draw offered';
    else text = board.turn === board.juditColor ? `${giver} to move` : `${board.opponent} to move`;
    return h(
      'a.cell',
      {
        key: table,
        attrs: { href: this.href(table), 'data-table': table },
        dataset: { ply: String(board.ply), fen: board.fen, result: board.end?.result ?? '' },
        class: { here: here !== null, thinking: here === 'thinking', walking: here === 'walking', selected, over: board.end !== null },
      },
      [
        h('div.cell-head', [
          h('span.cell-table', [h('span.sr-only', 'Table '), String(table)]),
          h('span.cell-name', board.opponent),
          h('span.cell-judit', here ? `${giver} ${GIVER_HERE[here]}` : ''),
        ]),
        h('div.cell-board', [
          h('div.mini-board', {
            hook: {
              insert: (vnode) => this.place(table, vnode.elm as HTMLElement),
              postpatch: () => this.draw(table),
              destroy: () => this.forget(table),
            },
          }),
        ]),
        juditClock ? clockPair(board, status, giver, juditClock, opponentClock) : null,
        h('div.cell-foot', [
          h('span.cell-status', { attrs: { title: board.end ? endReason(board.end, board.opponent, giver) : '' } }, text),
          h('span.cell-result', { class: { final: board.end !== null } }, board.end ? resultText(board.end) : board.ply > 0 ? `move ${Math.ceil(board.ply / 2)}` : ''),
        ]),
      ],
    );
  }

  /** A board's element is in the page: its pieces wait until it scrolls into view. */
  private place(table: number, el: HTMLElement): void {
    this.minis.set(table, { el, view: null, shown: '' });
    this.observer.observe(el);
  }

  private forget(table: number): void {
    const mini = this.minis.get(table);
    if (!mini) return;
    this.observer.unobserve(mini.el);
    mini.view?.destroy();
    this.minis.delete(table);
    this.appearing.delete(table);
  }

  private onVisible(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const table = Number((entry.target.closest('.cell') as HTMLElement | null)?.dataset.table);
      const mini = this.minis.get(table);
      if (!mini || mini.view) continue;
      this.observer.unobserve(mini.el);
      this.appearing.add(table);
    }
    if (this.appearing.size) this.building();
  }

  /** Building a board costs a few milliseconds: a whole screenful at once would drop frames. */
  private buildSome(): void {
    let budget = BOARDS_BUILT_PER_FRAME;
    for (const table of this.appearing) {
      if (budget-- === 0) break;
      this.appearing.delete(table);
      const mini = this.minis.get(table);
      const board = this.source.board(table);
      if (!mini || mini.view || !board) continue;
      mini.view = new BoardView(mini.el, { orientation: board.juditColor, mini: true });
      this.draw(table);
    }
    if (this.appearing.size) this.building();
  }

  private draw(table: number): void {
    const mini = this.minis.get(table);
    const board = this.source.board(table);
    if (!mini?.view || !board) return; // not yet scrolled into view: drawn when it is
    const key = `${board.fen}|${board.lastMove}|${board.juditColor}`;
    if (mini.shown === key) return;
    mini.shown = key;
    mini.view.setOrientation(board.juditColor);
    mini.view.show({ fen: board.fen, lastMove: board.lastMove, turn: board.turn, check: false });
  }
}

/** Both clocks of a board, its giver's first; the one that runs is marked. */
function clockPair(board: BoardSummary, status: ExhibitionStatus, giver: string, juditClock: string, opponentClock: string): VNode {
  const running = status === 'running' && !board.end;
  const juditToMove = board.turn === board.juditColor;
  const face = (who: string, text: string, runs: boolean) =>
    h('span.clock', { class: { running: runs }, attrs: { title: `${who}’s clock` } }, [h('span.clock-who', who), ' ', h('span.clock-time', text)]);
  return h('div.cell-clocks', { attrs: { 'data-testid': 'clocks' } }, [
    face(giver, juditClock, running && juditToMove),
    face(board.opponent, opponentClock, running && !juditToMove),
  ]);
}
