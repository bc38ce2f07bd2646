/**
 * The spectator's page: every board live, Judit's board marked, one board large with its moves
 * (or a giver's, following her as she walks), the score and the statistics.
 */
import { giverName, MAX_GIVERS } from '../../../shared/givers.js';
import type { ClockSetting } from '../../../shared/config.js';
import type { BoardSummary } from '../../../shared/domain.js';
import { Chess } from 'chess.js';
import { pgnUrl } from '../api.js';
import { h as el, replace } from '../dom.js';
import { activityLabel, clock, endHeadline, endReason, plural, resultText, statusLabel, strength, seconds } from '../format.js';
import { seatToken } from '../keyring.js';
import { LiveExhibition } from '../live.js';
import { feedLink } from '../feed.js';
import { type Page, type PageContext, setTitle } from '../page.js';
import { explain } from '../problem.js';
import { navigate, paths } from '../router.js';
import { BoardView } from '../view/board.js';
import { ChatPanel } from '../view/chat.js';
import { clockFace } from '../view/clock.js';
import { descriptionView } from '../view/description.js';
import { BoardGrid, liveGridSource } from '../view/grid.js';
import { LessonPanel } from '../view/lesson.js';
import { moveListView } from '../view/movelist.js';
import { Replay, type ReplayPosition } from '../view/replay.js';
import { statsView } from '../view/stats.js';
import { TallyView } from '../view/tally.js';
import { h, holder, mount, type Mounted, type VNode } from '../vdom.js';
import { messagePage } from './message.js';

/**
 * `?board=7` shows table 7 large; `?board=judit` follows Judit from table to table, and with
 * several givers `?board=giver-2` the second, and so on.
 */
type Focus = { kind: 'none' } | { kind: 'table'; table: number } | { kind: 'giver'; giver: number };

const followParam = (giver: number) => (giver === 0 ? 'judit' : `giver-${giver + 1}`);

function focusOf(url: URL): Focus {
  const board = url.searchParams.get('board') ?? '';
  if (board === 'judit') return { kind: 'giver', giver: 0 };
  const giver = Number(/^giver-(\d+)$/.exec(board)?.[1]);
  if (giver >= 2 && giver <= MAX_GIVERS) return { kind: 'giver', giver: giver - 1 };
  const table = Number(board);
  return Number.isInteger(table) && table > 0 ? { kind: 'table', table } : { kind: 'none' };
}

export function watchPage({ root, route, url }: PageContext<{ page: 'watch'; id: string }>): Page {
  const id = route.id;
  let focus = focusOf(url);
  let view: WatchView | null = null;
  let live: LiveExhibition | null = null;
  replace(root, el('div', { class: 'page loading' }, el('p', null, 'Finding the boards…')));
  setTitle('Watch');
  // the whole page runs over the spectators' feed: a viewer costs the server nothing else
  const feed = feedLink();

  const stop = feed.whenConnected(() => {
    void feed.request('exhibition:watch', { id }).then((reply) => {
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
        live = new LiveExhibition(id, reply.snapshot, feed);
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
      if (live) void feed.request('exhibition:unwatch', { id });
      live?.dispose();
    },
  };
}

class WatchView {
  private readonly grid: BoardGrid;
  private readonly lesson: LessonPanel;
  private readonly tally = new TallyView();
  /** The large board's finished game, stepped through move by move. */
  private readonly replay = new Replay(() => this.view.redraw());
  private readonly chat: ChatPanel;
  /** The large board's chessground: made when its element is in the page, kept across redraws. */
  private focusBoard: BoardView | null = null;
  private focusTable: number | null = null;
  /** The large board's moves could not be loaded: why. */
  private focusProblem: string | null = null;
  /** The focused game's first position, once its moves have come. */
  private focusStart: string | undefined = undefined;
  /** The table whose moves are being loaded. */
  private loading: number | null = null;
  /** What the large board last showed. */
  private focusShown = '';
  /** The large board was opened from the URL: scroll it into view at the next redraw. */
  private scrollToFocus = false;
  private readonly stopLive: () => void;
  private readonly timer: number;
  private readonly view: Mounted;

  constructor(
    root: HTMLElement,
    private readonly live: LiveExhibition,
    private focus: Focus,
  ) {
    this.grid = new BoardGrid(liveGridSource(live), (table) => paths.watch(live.id, table));
    this.lesson = new LessonPanel(live);
    // a seated player watching writes as their seat; anyone else as a spectator
    const token = seatToken(live.id);
    this.chat = new ChatPanel(live.id, token ? { token } : { spectator: true }, () => this.view.redraw(), live.link);
    this.view = mount(root, () => this.render());
    this.stopLive = live.on(() => this.changed());
    // the statistics' clocks
    this.timer = window.setInterval(() => this.view.redraw(), 1000);
    this.changed();
  }

  setFocus(focus: Focus): void {
    this.focus = focus;
    this.changed();
  }

  /** After a reconnection: the focused board's moves again. */
  reopen(): void {
    if (this.focusTable !== null) this.open(this.focusTable);
  }

  dispose(): void {
    this.stopLive();
    window.clearInterval(this.timer);
    this.replay.dispose();
    this.chat.dispose();
    this.view.dispose();
    this.grid.dispose();
    this.lesson.dispose();
    if (this.focusTable !== null) void this.live.link.request('board:close', { id: this.live.id, table: this.focusTable });
  }

  /** Something changed: follow the board the URL asks for (Judit's when following), then draw once. */
  private changed(): void {
    const x = this.live;
    setTitle(`${x.config.name} — ${statusLabel[x.status]}`);
    const table = this.wantedTable();
    if (table !== this.focusTable) {
      if (this.focusTable !== null) {
        void x.link.request('board:close', { id: x.id, table: this.focusTable });
        x.unfollow(this.focusTable);
      }
      this.focusTable = table;
      this.focusStart = undefined;
      if (table !== null) {
        this.scrollToFocus = this.focus.kind === 'table';
        this.open(table);
      }
    } else if (table !== null && x.gapped.has(table) && this.loading !== table) this.open(table); // a move went missing
    this.view.redraw();
  }

  private wantedTable(): number | null {
    const f = this.focus;
    let table: number | null = null;
    if (f.kind === 'table') table = f.table;
    if (f.kind === 'giver') table = this.live.snapshot.givers[f.giver]?.table ?? this.focusTable ?? this.live.boardList()[0]?.table ?? null;
    return table !== null && this.live.boards.has(table) ? table : null;
  }

  /** Loads the focused board's moves, then follows them move by move. */
  private open(table: number): void {
    this.focusProblem = null;
    this.loading = table;
    void this.live.link.request('board:open', { id: this.live.id, table }).then((reply) => {
      if (this.loading === table) this.loading = null;
      if (this.focusTable !== table) return;
      if (!reply.ok) {
        this.focusProblem = `The moves could not be loaded. ${explain(reply.error)}`;
      } else {
        this.live.opened(reply.board);
        this.focusStart = reply.board.startFen;
      }
      this.view.redraw();
    });
  }

  // ── the view ───────────────────────────────────────────────────────────

  private render(): VNode {
    const x = this.live;
    const id = x.id;
    const c = x.config;
    const running = x.status === 'running' || x.status === 'paused';
    const followed = this.focus.kind === 'giver' ? this.focus.giver : null;
    const seating = x.status === 'open' || (c.lateJoin && running);
    const free = c.boards - x.boards.size;
    this.tally.update(x.tally());
    return h('div.page.watch', [
      h('header.page-head.watch-head', [
        h('div', [
          h('h1', [c.name, ' ', h('span.chip', { class: { [`chip-${x.status}`]: true }, attrs: { 'data-testid': 'status' } }, statusLabel[x.status])]),
          h('p.settings-line', `${plural(x.boards.size, 'board')} · Judit ${strength(c.elo)}, ${seconds(c.thinkSeconds)} a move${clockLine(c.clock)}`),
          descriptionView(c.description),
        ]),
        h('div.watch-meta', [
          h('span.big-tally', { attrs: { title: 'Judit’s score' } }, [holder(this.tally.el)]),
          h('span.judit-line', { attrs: { 'data-testid': 'judit-line' } }, this.juditLine()),
          h('span.spectators', { attrs: { 'data-testid': 'spectators' } }, plural(x.snapshot.spectators, 'spectator')),
        ]),
        h('div.button-row', [
          ...x.snapshot.givers.map((_, g) => {
            const following = followed === g;
            return h(
              'button.btn',
              {
                class: { 'btn-active': following },
                attrs: { type: 'button', 'aria-pressed': String(following), 'data-testid': g === 0 ? 'follow' : `follow-${g + 1}` },
                props: { hidden: !running },
                on: { click: () => navigate(following ? paths.watch(id) : `${paths.watch(id)}?board=${followParam(g)}`) },
              },
              `${following ? 'Following' : 'Follow'} ${giverName(g)}`,
            );
          }),
          seatToken(id)
            ? h('a.btn.btn-primary', { attrs: { href: paths.play(id) } }, 'Your board')
            : h('a.btn.btn-primary', { attrs: { href: paths.play(id) }, props: { hidden: !(seating && free > 0) } }, 'Play'),
          h('a.btn.btn-quiet', { attrs: { href: pgnUrl(id), download: `simul-${id}.pgn` } }, 'PGN'),
        ]),
      ]),
      h('div.watch-layout', [
        h('div.watch-main', [this.focusPanel(), this.grid.view(this.focusTable)]),
        h('aside.watch-side', [statsView(x.snapshot), this.chat.view()]),
      ]),
      this.lesson.view(),
    ]);
  }

  /** Where each giver is: Judit alone, or every sister in turn. */
  private juditLine(): string {
    const x = this.live;
    if (x.status === 'open') return 'Waiting for the start';
    if (x.status !== 'running') return '';
    return x.snapshot.givers
      .map((j, g) => {
        const name = giverName(g);
        if (j.table === null) return j.activity === 'resting' ? `${name} is resting` : '';
        if (j.activity === 'walking') return `${name} is walking to table ${j.table}`;
        if (j.activity === 'resting') return `${name} is resting`;
        return `${name} is at table ${j.table}, ${activityLabel[j.activity]}`;
      })
      .filter(Boolean)
      .join(' · ');
  }

  /** The large board, with its players, its state and its moves. */
  private focusPanel(): VNode {
    const b = this.focusTable === null ? undefined : this.live.boards.get(this.focusTable);
    if (!b) return h('section.panel.focus', { props: { hidden: true }, attrs: { 'data-testid': 'focus' } });
    const x = this.live;
    const opponentColor = b.juditColor === 'white' ? 'black' : 'white';
    const j = x.giverAt(b.table);
    const giver = x.giverNameAt(b.table);
    const running = x.status === 'running';
    const here = running && j.table === b.table && !b.end;
    let status: string;
    if (this.focusProblem) status = this.focusProblem;
    else if (b.end) status = `${resultText(b.end)} · ${endHeadline(b.end, b.opponent, giver)}. ${endReason(b.end, b.opponent, giver)}`;
    else if (x.status === 'open') status = 'The game starts when the host starts the exhibition.';
    else if (b.drawOffered) status = `${b.opponent} offers a draw; ${giver} answers at her next visit.`;
    else status = b.turn === b.juditColor ? `${giver} to move.` : `${b.opponent} to move.`;
    // a finished game, its moves loaded, steps move by move
    this.replay.load(b.end ? this.focusStart : undefined, b.end ? x.movesOf(b.table) : null);
    const shown: ReplayPosition = this.replay.position() ?? { fen: b.fen, lastMove: b.lastMove, turn: b.turn, check: inCheck(b.fen) };
    const scroll = (vnode: VNode) => {
      if (!this.scrollToFocus) return;
      this.scrollToFocus = false;
      (vnode.elm as HTMLElement).scrollIntoView({ block: 'nearest' });
    };
    return h(
      'section.panel.focus',
      {
        class: { following: this.focus.kind === 'giver' },
        props: { hidden: false },
        attrs: { 'data-testid': 'focus' },
        hook: { insert: scroll, postpatch: (_old, vnode) => scroll(vnode) },
      },
      [
        h('header.focus-head', [
          h('h2.panel-title', `Table ${b.table} · ${giver} vs ${b.opponent}`),
          h('button.btn.btn-quiet.btn-small.close', { attrs: { type: 'button', 'aria-label': 'Close the large board' }, on: { click: () => navigate(paths.watch(x.id)) } }, '✕'),
        ]),
        h('div.focus-body', [
          h('div.focus-board', [
            h('div.player-bar', [
              h(`span.piece-dot.${opponentColor}`),
              h('strong', b.opponent),
              turnNote(b, 'opponent', running),
              clockFace(b, 'opponent', x.clockLeft(b, 'opponent'), x.status),
            ]),
            h('div.board-frame', [this.focusBoardVNode(b, shown)]),
            h('div.player-bar', { class: { active: here && j.activity === 'thinking' } }, [
              h(`span.piece-dot.${b.juditColor}`),
              h('strong', giver),
              here ? h('span.activity', activityLabel[j.activity]) : turnNote(b, 'judit', running),
              clockFace(b, 'judit', x.clockLeft(b, 'judit'), x.status),
            ]),
            this.replay.controls(),
          ]),
          h('div.focus-side', [
            h('p.focus-status', status),
            moveListView(x.movesOf(b.table), this.focusStart, undefined, this.replay.active ? this.replay.ply : null),
          ]),
        ]),
      ],
    );
  }

  /** The large board's chessground, made once and shown the focused board on every redraw. */
  private focusBoardVNode(b: BoardSummary, shown: ReplayPosition): VNode {
    const show = () => {
      const key = `${shown.fen}|${shown.lastMove}|${b.juditColor}`;
      if (!this.focusBoard || key === this.focusShown) return;
      this.focusShown = key;
      this.focusBoard?.setOrientation(b.juditColor);
      this.focusBoard?.show(shown);
    };
    return h('div.board-el', {
      attrs: { 'data-testid': 'focus-board' },
      dataset: { table: String(b.table), fen: shown.fen },
      hook: {
        insert: (vnode) => {
          this.focusBoard = new BoardView(vnode.elm as HTMLElement, { orientation: b.juditColor });
          show();
        },
        postpatch: show,
        destroy: () => {
          this.focusShown = '';
          this.focusBoard?.destroy();
          this.focusBoard = null;
        },
      },
    });
  }
}

function turnNote(b: BoardSummary, side: 'judit' | 'opponent', running: boolean): VNode | null {
  if (!running || b.end) return null;
  const toMove = (b.turn === b.juditColor) === (side === 'judit');
  return toMove ? h('span.activity', 'to move') : null;
}

/** Whether the side to move in `fen` is in check (the large board highlights the king). */
function inCheck(fen: string): boolean {
  try {
    return new Chess(fen).inCheck();
  } catch {
    return false; // a position chess.js cannot read is shown without a highlight
  }
}

/** The time control in the settings line: ` · clocks 10+5, Judit +50 min`. */
function clockLine(c: ClockSetting | null): string {
  if (!c) return '';
  const extra = c.giverExtraSeconds ? `, Judit +${clock(c.giverExtraSeconds * 1000)}` : '';
  return ` · clocks ${clock(c.initialSeconds * 1000)}+${c.incrementSeconds}${extra}`;
}
