/**
 * An opponent's page: take a seat (or reclaim it with the token this browser kept), then play
 * your board against Judit while she walks the tables.
 */
import type { Key } from '@lichess-org/chessground/types';
import type { BoardSummary, Color, JuditWhereabouts, MoveRecord, Side } from '../../../shared/domain.js';
import type { SeatGranted } from '../../../shared/protocol.js';
import { pgnUrl } from '../api.js';
import { h as el, replace } from '../dom.js';
import { clock, endHeadlineForYou, endReason, engineLine, plural, statusLabel } from '../format.js';
import { Game } from '../game.js';
import { Attention, canNotify, optInToNotifications } from '../attention.js';
import { keepSeatToken, seatToken, wantsNotifications } from '../keyring.js';
import { LiveExhibition } from '../live.js';
import { connectionState, listen, onConnection, request, whenConnected } from '../net.js';
import { type Page, type PageContext, setTitle } from '../page.js';
import { explain } from '../problem.js';
import { paths } from '../router.js';
import { serverNow } from '../servertime.js';
import { piecesInWords, sanInWords } from '../speech.js';
import { playMoveSound } from '../sound.js';
import { BoardView } from '../view/board.js';
import { confirmButton } from '../view/confirm.js';
import { ChatPanel } from '../view/chat.js';
import { clockFace } from '../view/clock.js';
import { moveListView } from '../view/movelist.js';
import { Replay } from '../view/replay.js';
import { choosePromotion, ROLE_LETTER } from '../view/promotion.js';
import { TallyView } from '../view/tally.js';
import { describeWhereabouts } from '../view/whereabouts.js';
import { h, holder, mount, type Mounted, type VNode } from '../vdom.js';
import { showJoin } from './join.js';

export function playPage({ root, route }: PageContext<{ page: 'play'; id: string }>): Page {
  const id = route.id;
  let seated: SeatedView | null = null;
  let disposed = false;

  const seat = (granted: SeatGranted) => {
    if (disposed) return;
    leaveJoin?.();
    leaveJoin = null;
    keepSeatToken(id, granted.token);
    if (seated) seated.reset(granted);
    else seated = new SeatedView(root, id, granted, lost);
  };

  /** The host freed the seat before the start: back to the form, saying why. */
  const lost = () => {
    keepSeatToken(id, null);
    seated?.dispose();
    seated = null;
    join('The host freed your seat. You may take a seat again while the exhibition is open.');
  };

  /** Stops the join form following the exhibition, while it is shown. */
  let leaveJoin: (() => void) | null = null;
  const join = (note?: string) => {
    if (seated) return;
    leaveJoin?.();
    leaveJoin = showJoin(root, { id, note, onSeated: seat });
  };

  const claim = () => {
    const token = seatToken(id);
    if (!token) return join();
    if (!seated) replace(root, el('div', { class: 'page loading' }, el('p', null, 'Back to your seat…')));
    void request('seat:claim', { id, token }).then((reply) => {
      if (disposed) return;
      if (reply.ok) return seat(reply);
      if (reply.error.code === 'FORBIDDEN' || reply.error.code === 'NOT_FOUND') {
        keepSeatToken(id, null);
        seated?.dispose();
        seated = null;
        return join(reply.error.code === 'FORBIDDEN' ? `Your seat here is gone: ${explain(reply.error)}` : undefined);
      }
      // a passing failure (timeout, rate): keep the token; the next reconnection tries again
      if (seated) seated.say(`Could not reclaim your seat: ${explain(reply.error)}`);
      else join(`Your seat could not be reclaimed just now: ${explain(reply.error)} Reload the page to try again.`);
    });
  };

  const stop = whenConnected(claim);
  if (!seatToken(id)) join();

  return {
    dispose() {
      disposed = true;
      stop();
      leaveJoin?.();
      seated?.dispose();
    },
  };
}

class SeatedView {
  private readonly live: LiveExhibition;
  private game: Game;
  private readonly table: number;
  private readonly token: string;
  private readonly color: Color;
  /** Made when the board's element is in the page (chessground measures it), kept across redraws. */
  private board: BoardView | null = null;
  /** What the board last showed (the ply, whether it took moves): a redraw with the same leaves it be. */
  private boardShown = '';
  /** The board's positioned parent: the promotion choice is shown over it. */
  private frame: HTMLElement | null = null;
  private moveInput: HTMLInputElement | null = null;
  /** The page's title as set last: the blinking title alternates with it. */
  private pageTitle = document.title;
  private titleText = '';
  private readonly attention = new Attention(() => this.pageTitle);
  private notify = wantsNotifications() && canNotify() && Notification.permission === 'granted';
  /** The ply at which Judit's arrival was last announced. */
  private arrivalSaidAt = -1;
  /** Judit's whereabouts as last seen: her arrival is news only when they change. */
  private juditSeen: JuditWhereabouts;
  /** Declined draw offers already said. */
  private declinesSaid: number;
  /** The ending already announced (`result|reason`). */
  private endSaid: string | null = null;
  /** A move sent and not yet answered. */
  private pending = false;
  /** A draw offer sent and not yet answered. */
  private offering = false;
  /** Judit moved and the player has not answered yet: the tab title says so. */
  private flagged = false;
  /** False while the connection is down: what we know of Judit is old news then. */
  private online = connectionState() === 'connected';
  private message: { text: string; tone: 'info' | 'error' } = { text: '', tone: 'info' };
  private moveError = '';
  /** What a screen reader says as it happens: Judit's arrival, her moves, yours, the result. */
  private announcement = '';
  private readonly resign = confirmButton({ label: 'Resign', confirm: 'Yes, resign', testId: 'resign', action: () => this.doResign() });
  private readonly tally = new TallyView();
  /** The game once it is over, stepped through move by move. */
  private readonly replay = new Replay(() => this.view.redraw());
  private readonly chat: ChatPanel;
  private readonly stops: (() => void)[] = [];
  private readonly timer: number;
  private readonly view: Mounted;

  constructor(
    root: HTMLElement,
    private readonly id: string,
    granted: SeatGranted,
    private readonly onLost: () => void,
  ) {
    this.live = new LiveExhibition(id, granted.snapshot);
    this.table = granted.table;
    this.token = granted.token;
    this.color = granted.board.juditColor === 'white' ? 'black' : 'white';
    this.game = this.follow(granted.board.startFen, granted.board.moves);
    this.juditSeen = this.live.giverAt(this.table);
    this.declinesSaid = this.live.drawsDeclined.get(this.table) ?? 0;

    this.chat = new ChatPanel(id, { token: this.token }, () => this.view.redraw());
    this.view = mount(root, () => this.render());
    this.stops.push(
      this.live.on(() => this.changed()),
      onConnection((state) => {
        this.online = state === 'connected';
        this.view.redraw();
      }),
    );
    // the whereabouts panel above the board says when the connection is lost: no toast over the moves
    document.body.classList.add('connection-in-page');
    // the countdowns (Judit's arrival, the per-move limit)
    this.timer = window.setInterval(() => this.view.redraw(), 1000);
    this.changed();
  }

  /** A fresh grant after a reconnection: everything from the server again. */
  reset(granted: SeatGranted): void {
    this.pending = false;
    this.clearError(); // a failure said before the reconnection is old news: the board is the server's now
    this.game = this.follow(granted.board.startFen, granted.board.moves);
    this.live.reset(granted.snapshot); // redraws everything
  }

  say(text: string, tone: 'info' | 'error' = 'info'): void {
    this.message = { text, tone };
    this.view.redraw();
  }

  dispose(): void {
    document.body.classList.remove('connection-in-page');
    window.clearInterval(this.timer);
    this.replay.dispose();
    this.chat.dispose();
    for (const stop of this.stops) stop();
    this.view.dispose();
    this.live.dispose();
    this.attention.dispose();
    setTitle(null);
  }

  // ── state ──────────────────────────────────────────────────────────────

  /** The game from its start, followed move by move from now on. */
  private follow(startFen: string, moves: readonly MoveRecord[]): Game {
    this.live.follow(this.table, moves);
    return new Game(startFen, moves);
  }

  /** Something in the exhibition changed: catch up with it, say what is news, draw once. */
  private changed(): void {
    if (!this.live.boards.has(this.table)) return this.onLost();
    this.catchUp();
    const declined = this.live.drawsDeclined.get(this.table) ?? 0;
    if (declined !== this.declinesSaid) {
      this.declinesSaid = declined;
      this.message = { text: `${this.giver} declined your draw offer. Play on!`, tone: 'info' };
    }
    if (this.live.giverAt(this.table) !== this.juditSeen) {
      this.juditSeen = this.live.giverAt(this.table);
      if (this.juditArrived()) this.announce(`${this.giver} has arrived at your table and is thinking.`);
    }
    this.noteEnd();
    this.retitle();
    this.view.redraw();
  }

  /** Plays on the game the moves the exhibition has heard since; Judit's are news. */
  private catchUp(): void {
    if (this.live.gapped.has(this.table)) return void this.refetch(); // a move went missing
    let judit: MoveRecord | null = null;
    for (const move of this.live.movesOf(this.table).slice(this.game.ply)) {
      if (!this.game.apply(move)) return void this.refetch();
      // our own move, sent again on reconnection after its answer timed out: it was played after all
      if (move.by === 'opponent') this.clearError();
      else judit = move;
    }
    if (!judit || this.game.moves[this.game.ply - 1] !== judit) return;
    playMoveSound(true);
    this.announce(`${this.giver} played ${sanInWords(judit.san)}. Your move.`);
    this.flagged = true;
    this.retitle();
    this.attention.raise(`${this.giver} played ${judit.san} at table ${this.table}.`);
    // the premove waits for the board to show Judit's move
    this.view.redrawNow();
    this.board?.playPremove();
  }

  /** The game's end, said once: the result to a screen reader, the notes of play cleared. */
  private noteEnd(): void {
    const end = this.summary?.end;
    if (!end || this.endSaid === `${end.result}|${end.reason}`) return;
    this.endSaid = `${end.result}|${end.reason}`;
    this.unflag();
    this.announce(`${endHeadlineForYou(end, this.giver)} ${endReason(end, 'you', this.giver)}`);
    this.message = { text: '', tone: 'info' }; // "Draw offered…" and the like mean nothing under the result
  }

  /** Clears the message if it reports a failure. */
  private clearError(): void {
    if (this.message.tone === 'error') this.message = { text: '', tone: 'info' };
  }

  /** Says `text` to a screen reader (a repeat is said again). */
  private announce(text: string): void {
    this.announcement = this.announcement === text ? `${text} ` : text;
  }

  /** Judit has just begun thinking at this table over a position not announced yet. */
  private juditArrived(): boolean {
    const j = this.live.giverAt(this.table);
    if (j.table !== this.table || j.activity !== 'thinking' || this.summary?.end != null) return false;
    if (this.arrivalSaidAt === this.game.ply) return false;
    this.arrivalSaidAt = this.game.ply;
    return true;
  }

  /** Who walks this table: Judit, or the sister whose section it is in. */
  private get giver(): string {
    return this.live.giverNameAt(this.table);
  }

  private get summary(): BoardSummary | undefined {
    return this.live.boards.get(this.table);
  }

  private get myTurn(): boolean {
    return this.game.turn() === this.color;
  }

  // ── moves ──────────────────────────────────────────────────────────────

  private async onMove(from: Key, to: Key): Promise<void> {
    let uci = `${from}${to}`;
    if (this.game.isPromotion(from, to) && this.board && this.frame) {
      this.board.freeze();
      const role = await choosePromotion(this.frame, to, this.color, this.color);
      if (!role) {
        this.boardShown = ''; // taken back: the pawn goes home
        return this.view.redrawNow();
      }
      this.board.promote(to, role, this.color);
      uci += ROLE_LETTER[role];
    }
    await this.send(uci);
  }

  private submitted(event: Event): void {
    event.preventDefault();
    void this.onTyped();
  }

  /** The Move field: the same checks as a drag, and a sentence when the move is refused. */
  private async onTyped(): Promise<void> {
    const text = this.moveInput?.value.trim() ?? '';
    this.moveError = this.typedRefusal(text) ?? '';
    const uci = this.moveError ? null : this.game.typed(text);
    if (!this.moveError && !uci) {
      this.moveError = `${text} is not a legal move here. Type a move such as e4, Nf3 or O-O, or squares such as g1f3.`;
    }
    this.view.redraw();
    if (!uci) return;
    if (this.moveInput) this.moveInput.value = '';
    await this.send(uci);
  }

  private clearMoveError(): void {
    if (!this.moveError) return;
    this.moveError = '';
    this.view.redraw();
  }

  private typedRefusal(text: string): string | null {
    if (!text) return 'Type a move first, such as e4 or Nf3.';
    const status = this.live.status;
    if (status === 'open') return 'The game has not started yet.';
    if (status !== 'running') return `The exhibition is ${statusLabel[status].toLowerCase()}.`;
    if (this.pending) return 'Your last move is still being sent.';
    if (!this.myTurn) return `It is ${this.giver}’s move: wait for her to reach your table.`;
    return null;
  }

  private async send(uci: string): Promise<void> {
    this.pending = true;
    this.message = { text: '', tone: 'info' };
    this.board?.freeze(); // the piece stays where it was dropped until the server answers
    this.view.redraw();
    const reply = await request('move:play', { id: this.id, token: this.token, table: this.table, ply: this.game.ply, uci });
    this.pending = false;
    if (reply.ok) {
      this.live.record(this.table, reply.move);
      this.catchUp();
      this.announce(`You played ${sanInWords(reply.move.san)}.`);
      this.unflag();
      playMoveSound(false);
    } else {
      this.say(explain(reply.error), 'error');
      if (reply.error.code === 'STALE_PLY') await this.refetch();
    }
    this.retitle();
    this.view.redraw();
  }

  /** The whole board from the server (after a gap or a stale move). */
  private async refetch(): Promise<void> {
    const reply = await request('board:open', { id: this.id, table: this.table });
    if (!reply.ok) return;
    this.live.opened(reply.board);
    this.game = new Game(reply.board.startFen, reply.board.moves);
    this.view.redraw();
  }

  private async offerDraw(): Promise<void> {
    this.offering = true;
    this.view.redraw();
    const reply = await request('game:offerDraw', { id: this.id, token: this.token, table: this.table });
    this.offering = false;
    if (reply.ok) this.say(`Draw offered. ${this.giver} answers when she comes to your table.`);
    else this.say(explain(reply.error), 'error');
  }

  private async doResign(): Promise<void> {
    const reply = await request('game:resign', { id: this.id, token: this.token, table: this.table });
    if (!reply.ok) this.say(explain(reply.error), 'error');
  }

  private setNotify(box: HTMLInputElement): void {
    const asked = box.checked;
    void optInToNotifications(asked).then((granted) => {
      this.notify = granted;
      box.checked = granted;
      if (asked && !granted) this.say('The browser did not allow notifications: they stay off.');
      else this.view.redraw();
    });
  }

  // ── the title ──────────────────────────────────────────────────────────

  private retitle(): void {
    const end = this.summary?.end;
    const text = end
      ? `${endHeadlineForYou(end, this.giver)} — table ${this.table}`
      : this.flagged
        ? `● Your move — table ${this.table}`
        : `Table ${this.table} against ${this.giver}`;
    if (text === this.titleText) return;
    this.titleText = text;
    setTitle(text);
    this.pageTitle = document.title;
    this.attention.titleChanged();
  }

  private unflag(): void {
    if (!this.flagged) return;
    this.flagged = false;
    this.retitle();
    this.attention.clear();
  }

  // ── the view ───────────────────────────────────────────────────────────

  private render(): VNode {
    const x = this.live;
    const playing = (x.status === 'running' || x.status === 'paused') && !this.summary?.end;
    this.resign.setDisabled(!playing);
    const over = this.summary?.end != null;
    this.replay.load(over ? this.game.startFen : undefined, over ? this.game.moves : null);
    return h('div.page.play', { attrs: { 'data-table': this.table } }, [
      h('div.play-layout', [
        this.whereabouts(),
        h('div.play-board', [
          h('h1.sr-only', `Table ${this.table} against ${this.giver}`),
          this.juditBar(),
          h('div.board-frame', { hook: { insert: (vnode) => (this.frame = vnode.elm as HTMLElement) } }, [this.boardVNode()]),
          this.youBar(),
          this.replay.controls(),
          this.moveForm(),
          h('p.sr-only', { attrs: { 'aria-live': 'polite', 'data-testid': 'announce' } }, this.announcement),
          h('section.sr-only', { attrs: { 'aria-label': 'The position in words' } }, [
            h('h2', 'The position in words'),
            h('div.sr-only', { attrs: { 'data-testid': 'text-board' } }, this.positionInWords()),
          ]),
        ]),
        h('div.play-side', [
          this.result(),
          h('section.panel.game-panel', [
            h('h2.panel-title', [`Table ${this.table}`, h('span.muted', ` · you play ${this.color}`)]),
            moveListView(this.game.moves, this.game.startFen, { empty: 'No moves yet.', opponent: 'you' }, this.replay.active ? this.replay.ply : null),
            this.actions(playing),
            h('p.action-message', { class: { error: this.message.tone === 'error' }, attrs: { role: 'status', 'data-testid': 'message' } }, this.message.text),
            canNotify()
              ? h('p.notify', [
                  h('input#notify', {
                    attrs: { type: 'checkbox', 'data-testid': 'notify' },
                    props: { checked: this.notify },
                    on: { change: (e) => this.setNotify(e.target as HTMLInputElement) },
                  }),
                  h('label', { attrs: { for: 'notify' } }, ' Notify me when it is my move (while this tab is in the background)'),
                ])
              : null,
          ]),
          h('section.panel.exhibition-panel', [
            h('h2.panel-title', [x.config.name, ' ', h('span.chip', { class: { [`chip-${x.status}`]: true } }, statusLabel[x.status])]),
            h('p.muted', `${plural(x.boards.size, 'board')}. ${engineLine(x.config.elo, x.config.thinkSeconds)}`),
            h('p.tally-line', ['Judit’s score ', this.tallyVNode()]),
            h('p', h('a', { attrs: { href: paths.watch(this.id) } }, 'Watch every board →')),
          ]),
          this.chat.view(),
        ]),
      ]),
    ]);
  }

  private tallyVNode(): VNode {
    this.tally.update(this.live.tally());
    return holder(this.tally.el);
  }

  /** The chessground board: made once its element is in the page, then shown the game on every redraw. */
  private boardVNode(): VNode {
    const myTurn = this.myTurn;
    return h('div.board-el', {
      attrs: { 'data-testid': 'board' },
      dataset: { ply: String(this.game.ply), orientation: this.color, turn: myTurn ? 'you' : 'judit' },
      hook: {
        insert: (vnode) => {
          this.board = new BoardView(vnode.elm as HTMLElement, { orientation: this.color, onMove: (from, to) => void this.onMove(from, to) });
          this.showBoard();
        },
        postpatch: () => this.showBoard(),
        destroy: () => {
          this.board?.destroy();
          this.board = null;
        },
      },
    });
  }

  /** Tells chessground only what changed: setting a position again would wipe the player's arrows. */
  private showBoard(): void {
    if (!this.board) return;
    const over = this.summary?.end != null;
    const running = this.live.status === 'running';
    const last = this.game.moves[this.game.ply - 1];
    const replayed = this.replay.position();
    const shown = this.pending ? 'pending' : replayed ? `replay ${this.replay.ply}` : `${this.game.ply}|${!over && running}`;
    if (shown === this.boardShown) return;
    this.boardShown = shown;
    if (this.pending) return this.board.freeze();
    if (replayed) return this.board.show(replayed, null);
    const movable = !over && running ? { color: this.color, dests: this.game.dests(), premove: !this.myTurn } : null;
    this.board.show({ fen: this.game.fen(), lastMove: last?.uci ?? null, turn: this.game.turn(), check: this.game.inCheck() }, movable);
  }

  private positionInWords(): string {
    const squares = this.game.squares();
    return `You play ${this.color}. White: ${piecesInWords(squares, 'w')}. Black: ${piecesInWords(squares, 'b')}. ${this.myTurn ? 'Your move.' : `${this.giver}’s move.`}`;
  }

  /** The Move field, hidden once the game is over: nothing is left to type. */
  private moveForm(): VNode {
    const over = this.summary?.end != null;
    return h('form.move-form', { attrs: { novalidate: true }, props: { hidden: over }, on: { submit: (e) => this.submitted(e) } }, [
      h('label', { attrs: { for: 'move-input' } }, 'Move'),
      h('div.move-row', [
        h('input#move-input', {
          attrs: {
            type: 'text',
            autocomplete: 'off',
            autocapitalize: 'off',
            spellcheck: 'false',
            placeholder: 'e4, Nf3, O-O, e7e8=Q',
            'aria-describedby': 'move-help move-error',
            'data-testid': 'move-input',
          },
          on: { input: () => this.clearMoveError() },
          hook: { insert: (vnode) => (this.moveInput = vnode.elm as HTMLInputElement) },
        }),
        h('button.btn', { attrs: { type: 'submit' } }, 'Play'),
      ]),
      h('p#move-help.sr-only', 'Type a move in algebraic notation, such as e4, Nf3, O-O, or from and to squares, such as g1f3, then press Enter.'),
      h('p#move-error.field-error', { attrs: { role: 'alert', 'data-testid': 'move-error' } }, this.moveError),
    ]);
  }

  private actions(playing: boolean): VNode {
    const offered = this.summary?.drawOffered === true;
    return h('div.button-row.game-actions', { props: { hidden: !playing } }, [
      h(
        'button.btn',
        {
          attrs: { type: 'button', 'data-testid': 'offer-draw', title: `${this.giver} considers a draw from move ${this.live.config.drawMinMove}, in a level position.` },
          props: { disabled: !playing || this.live.status !== 'running' || offered || this.offering },
          on: { click: () => void this.offerDraw() },
        },
        offered ? 'Draw offered' : 'Offer draw',
      ),
      holder(this.resign.el),
    ]);
  }

  private result(): VNode {
    const end = this.summary?.end;
    if (!end) return h('section.panel.result', { props: { hidden: true }, attrs: { 'data-testid': 'result' } });
    const tone = end.winner === 'opponent' ? 'won' : end.winner === 'judit' ? 'lost' : 'drawn';
    const data = { class: { [tone]: true }, props: { hidden: false }, attrs: { 'data-testid': 'result' }, dataset: { result: `${end.result}|${end.reason}` } };
    return h('section.panel.result', data, [
      h('p.result-score', end.result === '1/2-1/2' ? '½–½' : end.result.replace('-', '–')),
      h('h2.result-headline', endHeadlineForYou(end, this.giver)),
      h('p.result-reason', endReason(end, 'you', this.giver)),
      h('p.button-row', [
        h(
          'a.btn.btn-primary',
          { attrs: { href: pgnUrl(this.id, this.table), download: `simul-${this.id}-table-${this.table}.pgn`, 'data-testid': 'pgn' } },
          'Download PGN',
        ),
        h('a.btn', { attrs: { href: paths.watch(this.id) } }, 'Watch the other boards'),
      ]),
    ]);
  }

  private whereabouts(): VNode {
    const panel = (tone: string, headline: string, detail: string) =>
      // one live region, its words changed in place: a screen reader says them
      h('section.panel.whereabouts', { class: { [`tone-${tone}`]: true }, attrs: { 'aria-live': 'polite' }, dataset: { tone } }, [
        h('p.where-headline', { attrs: { 'data-testid': 'whereabouts' } }, headline),
        h('p.where-detail', detail),
      ]);
    if (!this.online) {
      return panel('offline', 'Connection lost — reconnecting…', 'Your seat is kept for you; the board catches up as soon as the connection is back.');
    }
    const s = this.summary;
    const w = describeWhereabouts({
      status: this.live.status,
      judit: this.live.giverAt(this.table),
      name: this.giver,
      table: this.table,
      gameOver: !!s?.end,
      eta: this.live.etaOf(this.table),
      // she starts at the first seated table of her own section
      firstTable: Math.min(...[...this.live.boards.keys()].filter((t) => this.live.giverOf(t) === this.live.giverOf(this.table)), this.table),
    });
    return panel(w.tone, w.headline, this.whereDetail());
  }

  private whereDetail(): string {
    const x = this.live;
    if (this.summary?.end) return 'Your game is over.';
    if (x.status === 'open') {
      return x.config.lateJoin
        ? `You are at table ${this.table}. The exhibition is starting: your board wakes up in a moment.`
        : `You are at table ${this.table}. The board wakes up when the host starts.`;
    }
    if (x.status !== 'running') return '';
    if (this.myTurn) {
      const last = this.game.moves[this.game.ply - 1];
      return last?.by === 'judit' ? `She played ${last.san}. Your move.` : 'Your move.';
    }
    return this.pending ? 'Sending your move…' : `${this.giver}’s move: she plays it when she reaches your table.`;
  }

  private juditBar(): VNode {
    const x = this.live;
    const j = x.giverAt(this.table);
    const here = x.status === 'running' && j.table === this.table && !this.summary?.end;
    const activity = here ? (j.activity === 'thinking' ? 'thinking…' : j.activity === 'walking' ? 'coming' : 'at your table') : '';
    return h('div.player-bar.judit-bar', { class: { active: here && j.activity === 'thinking' } }, [
      h(`span.piece-dot.${this.color === 'white' ? 'black' : 'white'}`),
      h('strong', this.giver),
      h('span.rating', x.config.elo === null ? 'full strength' : String(x.config.elo)),
      h('span.activity', activity),
      this.clockFace('judit'),
    ]);
  }

  /** A side's chess clock on this board, when the exhibition has clocks; it ticks with the page's redraw. */
  private clockFace(side: Side): VNode | null {
    const s = this.summary;
    return s ? clockFace(s, side, this.live.clockLeft(s, side), this.live.status) : null;
  }

  /** The per-move limit, when the host set one, counting down on the player's turn. */
  private youBar(): VNode {
    const s = this.summary;
    const limit = this.live.config.opponentMoveLimitSeconds;
    const yourMove = this.live.status === 'running' && !s?.end && this.myTurn;
    const left = yourMove && limit !== null && s ? s.turnSince + limit * 1000 - serverNow() : null;
    const turn = !yourMove ? '' : left === null ? 'your move' : `your move · ${clock(left)} left`;
    return h('div.player-bar.you-bar', { class: { active: yourMove } }, [
      h(`span.piece-dot.${this.color}`),
      h('strong', { attrs: { 'data-testid': 'you' } }, s?.opponent ?? ''),
      h('span.rating', `table ${this.table}`),
      h('span.activity', { class: { urgent: left !== null && left < 10_000 } }, turn),
      this.clockFace('opponent'),
    ]);
  }
}
