/**
 * The spectator's page: every board live, Judit's board marked, one board large with its moves
 * (or Judit's, following her as she walks), the score and the statistics.
 */
import type { BoardSummary } from '../../../shared/domain.js';
import { Chess } from 'chess.js';
import { pgnUrl } from '../api.js';
import { h, replace, setText, show, toggle } from '../dom.js';
import { activityLabel, endHeadline, endReason, plural, resultText, statusLabel, strength, seconds } from '../format.js';
import { seatToken } from '../keyring.js';
import { LiveExhibition } from '../live.js';
import { request, whenConnected } from '../net.js';
import { type Page, type PageContext, setTitle } from '../page.js';
import { explain } from '../problem.js';
import { navigate, paths } from '../router.js';
import { BoardView } from '../view/board.js';
import { BoardGrid, liveGridSource } from '../view/grid.js';
import { LessonPanel } from '../view/lesson.js';
import { MoveList } from '../view/movelist.js';
import { StatsPanel } from '../view/stats.js';
import { TallyView } from '../view/tally.js';
import { perFrame } from '../frame.js';
import { messagePage } from './message.js';

/** `?board=7` shows table 7 large; `?board=judit` follows Judit from table to table. */
type Focus = { kind: 'none' } | { kind: 'table'; table: number } | { kind: 'judit' };

function focusOf(url: URL): Focus {
  const board = url.searchParams.get('board');
  if (board === 'judit') return { kind: 'judit' };
  const table = Number(board);
  return Number.isInteger(table) && table > 0 ? { kind: 'table', table } : { kind: 'none' };
}

export function watchPage({ root, route, url }: PageContext<{ page: 'watch'; id: string }>): Page {
  const id = route.id;
  let focus = focusOf(url);
  let view: WatchView | null = null;
  let live: LiveExhibition | null = null;
  replace(root, h('div', { class: 'page loading' }, h('p', null, 'Finding the boards…')));
  setTitle('Watch');

  const stop = whenConnected(() => {
    void request('exhibition:watch', { id }).then((reply) => {
      if (!reply.ok) {
        if (live) return; // a failed re-join: keep the boards shown, the banner explains
        messagePage(root, {
          title: reply.error.code === 'NOT_FOUND' ? 'No such exhibition' : 'The exhibition could not be shown',
          text: explain(reply.error),
          links: [{ href: paths.lobby(), label: 'Go to the lobby' }],
        });
        return;
      }
      if (!live) {
        live = new LiveExhibition(id, reply.snapshot);
        view = new WatchView(root, live, focus);
      } else {
        live.reset(reply.snapshot);
        view?.reopen();
      }
    });
  });

  return {
    update(next) {
      focus = focusOf(next);
      view?.setFocus(focus);
    },
    dispose() {
      stop();
      view?.dispose();
      if (live) void request('exhibition:unwatch', { id });
      live?.dispose();
    },
  };
}

class WatchView {
  private readonly grid: BoardGrid;
  private readonly stats = new StatsPanel();
  private readonly lesson: LessonPanel;
  private readonly tally = new TallyView();
  private readonly statusChip = h('span', { class: 'chip', 'data-testid': 'status' });
  private readonly spectators = h('span', { class: 'spectators', 'data-testid': 'spectators' });
  private readonly juditLine = h('span', { class: 'judit-line', 'data-testid': 'judit-line' });
  private readonly followButton = h('button', { class: 'btn', type: 'button', 'aria-pressed': 'false', 'data-testid': 'follow' }, 'Follow Judit');
  private readonly playLink = h('a', { class: 'btn btn-primary', href: '' }, 'Play');
  private readonly settings = h('p', { class: 'settings-line' });

  // the large board
  private readonly focusPanel = h('section', { class: 'panel focus', hidden: true, 'data-testid': 'focus' });
  private readonly focusTitle = h('h2', { class: 'panel-title' });
  private readonly focusStatus = h('p', { class: 'focus-status' });
  private readonly focusTop = h('div', { class: 'player-bar' });
  private readonly focusBottom = h('div', { class: 'player-bar' });
  private readonly focusBoardEl = h('div', { class: 'board-el', 'data-testid': 'focus-board' });
  private readonly focusMoves = new MoveList();
  private focusBoard: BoardView | null = null;
  private focusTable: number | null = null;
  /** Moves known for the focused board (from board:open, then board:move). */
  private focusPly = 0;
  private readonly stopLive: () => void;
  /** The header (score, Judit's line, spectators) redrawn once a frame at most. */
  private readonly head = perFrame(() => this.drawHead());

  constructor(
    root: HTMLElement,
    private readonly live: LiveExhibition,
    private focus: Focus,
  ) {
    const id = live.id;
    this.grid = new BoardGrid(liveGridSource(live), (table) => paths.watch(id, table));
    this.lesson = new LessonPanel(live);
    this.followButton.addEventListener('click', () => {
      navigate(this.focus.kind === 'judit' ? paths.watch(id) : `${paths.watch(id)}?board=judit`);
    });
    const closeButton = h('button', { class: 'btn btn-quiet btn-small close', type: 'button', 'aria-label': 'Close the large board' }, '✕');
    closeButton.addEventListener('click', () => navigate(paths.watch(id)));
    replace(
      this.focusPanel,
      h('header', { class: 'focus-head' }, this.focusTitle, closeButton),
      h(
        'div',
        { class: 'focus-body' },
        h('div', { class: 'focus-board' }, this.focusTop, h('div', { class: 'board-frame' }, this.focusBoardEl), this.focusBottom),
        h('div', { class: 'focus-side' }, this.focusStatus, this.focusMoves.el),
      ),
    );
    const mine = seatToken(id);

    replace(
      root,
      h(
        'div',
        { class: 'page watch' },
        h(
          'header',
          { class: 'page-head watch-head' },
          h('div', null, h('h1', null, live.config.name, ' ', this.statusChip), this.settings),
          h(
            'div',
            { class: 'watch-meta' },
            h('span', { class: 'big-tally', title: 'Judit’s score' }, this.tally.el),
            this.juditLine,
            this.spectators,
          ),
          h(
            'div',
            { class: 'button-row' },
            this.followButton,
            mine ? h('a', { class: 'btn btn-primary', href: paths.play(id) }, 'Your board') : this.playLink,
            h('a', { class: 'btn btn-quiet', href: pgnUrl(id), download: `simul-${id}.pgn` }, 'PGN'),
          ),
        ),
        h(
          'div',
          { class: 'watch-layout' },
          h('div', { class: 'watch-main' }, this.focusPanel, this.grid.el),
          h('aside', { class: 'watch-side' }, this.stats.el),
        ),
        this.lesson.el,
      ),
    );

    this.stopLive = live.on((change) => {
      switch (change.kind) {
        case 'board':
          this.grid.touch(change.table);
          if (change.table === this.focusTable) this.drawFocus();
          this.head();
          return;
        case 'move':
          if (change.table === this.focusTable) this.onFocusMove(change.move.ply, change.move);
          return;
        case 'judit':
          this.grid.touchJudit();
          if (this.focus.kind === 'judit') this.applyFocus();
          else if (this.focusTable !== null) this.drawFocus();
          this.head();
          return;
        case 'stats':
          this.stats.update(live.snapshot);
          return;
        case 'spectators':
          this.head();
          return;
        case 'seat':
          this.grid.sync();
          this.head();
          return;
        case 'status':
        case 'snapshot':
        case 'config':
          this.drawAll();
          return;
        case 'drawDeclined':
        case 'seats':
          return;
        default: {
          const unhandled: never = change;
          return unhandled;
        }
      }
    });
    this.drawAll();
  }

  setFocus(focus: Focus): void {
    this.focus = focus;
    this.applyFocus();
  }

  /** After a reconnection: the focused board's moves again. */
  reopen(): void {
    const table = this.focusTable;
    this.focusTable = null;
    if (table !== null) this.open(table);
  }

  dispose(): void {
    this.stopLive();
    this.head.cancel();
    this.grid.dispose();
    this.stats.dispose();
    this.lesson.dispose();
    this.focusBoard?.destroy();
    if (this.focusTable !== null) void request('board:close', { id: this.live.id, table: this.focusTable });
  }

  private drawAll(): void {
    this.grid.sync();
    this.grid.touchJudit();
    this.grid.touchAll();
    this.stats.update(this.live.snapshot);
    this.drawHead();
    this.applyFocus();
  }

  private drawHead(): void {
    const x = this.live;
    setTitle(`${x.config.name} — ${statusLabel[x.status]}`);
    setText(this.statusChip, statusLabel[x.status]);
    this.statusChip.className = `chip chip-${x.status}`;
    this.tally.update(x.tally());
    setText(this.spectators, `${plural(x.snapshot.spectators, 'spectator')}`);
    const c = x.config;
    setText(this.settings, `${plural(x.boards.size, 'board')} · Judit ${strength(c.elo)}, ${seconds(c.thinkSeconds)} a move`);
    const j = x.snapshot.judit;
    const line =
      x.status === 'running' && j.table !== null
        ? j.activity === 'walking'
          ? `Judit is walking to table ${j.table}`
          : j.activity === 'resting'
            ? 'Judit is resting'
            : `Judit is at table ${j.table}, ${activityLabel[j.activity]}`
        : x.status === 'open'
          ? 'Waiting for the start'
          : '';
    setText(this.juditLine, line);
    const free = c.boards - x.boards.size;
    this.playLink.href = paths.play(x.id);
    const seating = x.status === 'open' || (c.lateJoin && (x.status === 'running' || x.status === 'paused'));
    show(this.playLink, seating && free > 0);
    show(this.followButton, x.status === 'running' || x.status === 'paused');
    const following = this.focus.kind === 'judit';
    this.followButton.setAttribute('aria-pressed', String(following));
    toggle(this.followButton, 'btn-active', following);
    setText(this.followButton, following ? 'Following Judit' : 'Follow Judit');
  }

  /** Shows the board the URL asks for (Judit's when following). */
  private applyFocus(): void {
    const f = this.focus;
    let table: number | null = null;
    if (f.kind === 'table') table = f.table;
    if (f.kind === 'judit') table = this.live.snapshot.judit.table ?? this.focusTable ?? this.live.boardList()[0]?.table ?? null;
    if (table !== null && !this.live.boards.has(table)) table = null;
    this.grid.select(table);
    this.head();
    if (table === this.focusTable) return this.drawFocus();
    if (this.focusTable !== null) void request('board:close', { id: this.live.id, table: this.focusTable });
    this.focusTable = null;
    if (table === null) {
      show(this.focusPanel, false);
      return;
    }
    this.open(table);
  }

  private open(table: number): void {
    this.focusTable = table;
    this.focusPly = 0;
    show(this.focusPanel, true);
    const board = this.live.boards.get(table);
    if (!this.focusBoard) {
      this.focusBoard = new BoardView(this.focusBoardEl, { orientation: board?.juditColor ?? 'white' });
    }
    this.focusMoves.set([], undefined);
    this.drawFocus();
    if (this.focus.kind === 'table') this.focusPanel.scrollIntoView({ block: 'nearest' });
    void request('board:open', { id: this.live.id, table }).then((reply) => {
      if (this.focusTable !== table) return;
      if (!reply.ok) {
        setText(this.focusStatus, `The moves could not be loaded. ${explain(reply.error)}`);
        return;
      }
      this.focusMoves.set(reply.board.moves, reply.board.startFen);
      this.focusPly = reply.board.moves.length;
      const known = this.live.boards.get(table);
      if (!known || known.ply <= reply.board.ply) this.live.boards.set(table, reply.board);
      this.drawFocus();
    });
  }

  private onFocusMove(ply: number, move: Parameters<MoveList['append']>[0]): void {
    if (ply === this.focusPly + 1) {
      this.focusMoves.append(move);
      this.focusPly = ply;
    } else if (ply > this.focusPly + 1 && this.focusTable !== null) {
      this.reopen(); // a gap: load the moves again
    }
  }

  private drawFocus(): void {
    const table = this.focusTable;
    const b = table === null ? undefined : this.live.boards.get(table);
    if (!b || !this.focusBoard) return;
    const x = this.live;
    const opponentColor = b.juditColor === 'white' ? 'black' : 'white';
    setText(this.focusTitle, `Table ${b.table} · Judit vs ${b.opponent}`);
    this.focusBoard.setOrientation(b.juditColor);
    this.focusBoard.show({ fen: b.fen, lastMove: b.lastMove, turn: b.turn, check: inCheck(b.fen) });
    this.focusBoardEl.dataset.table = String(b.table);
    const j = x.snapshot.judit;
    const here = x.status === 'running' && j.table === b.table && !b.end;
    replace(this.focusTop, h('span', { class: `piece-dot ${opponentColor}` }), h('strong', null, b.opponent), turnNote(b, 'opponent', x.status === 'running'));
    replace(
      this.focusBottom,
      h('span', { class: `piece-dot ${b.juditColor}` }),
      h('strong', null, 'Judit'),
      here ? h('span', { class: 'activity' }, activityLabel[j.activity]) : turnNote(b, 'judit', x.status === 'running'),
    );
    toggle(this.focusBottom, 'active', here && j.activity === 'thinking');
    let status: string;
    if (b.end) status = `${resultText(b.end)} · ${endHeadline(b.end, b.opponent)}. ${endReason(b.end, b.opponent)}`;
    else if (x.status === 'open') status = 'The game starts when the host starts the exhibition.';
    else if (b.drawOffered) status = `${b.opponent} offers a draw; Judit answers at her next visit.`;
    else status = b.turn === b.juditColor ? 'Judit to move.' : `${b.opponent} to move.`;
    setText(this.focusStatus, status);
    toggle(this.focusPanel, 'following', this.focus.kind === 'judit');
  }
}

function turnNote(b: BoardSummary, side: 'judit' | 'opponent', running: boolean): HTMLElement | null {
  if (!running || b.end) return null;
  const toMove = (b.turn === b.juditColor) === (side === 'judit');
  return toMove ? h('span', { class: 'activity' }, 'to move') : null;
}

/** Whether the side to move in `fen` is in check (the large board highlights the king). */
function inCheck(fen: string): boolean {
  try {
    return new Chess(fen).inCheck();
  } catch {
    return false; // a position chess.js cannot read is shown without a highlight
  }
}
