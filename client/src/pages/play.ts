/**
 * An opponent's page: take a seat (or reclaim it with the token this browser kept), then play
 * your board against Judit while she walks the tables.
 */
import type { Key } from '@lichess-org/chessground/types';
import type { BoardSummary, Color, Eta, MoveRecord } from '../../../shared/domain.js';
import type { SeatGranted } from '../../../shared/protocol.js';
import { pgnUrl } from '../api.js';
import { h, replace, setText, show, toggle } from '../dom.js';
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
import { MoveList } from '../view/movelist.js';
import { choosePromotion, ROLE_LETTER } from '../view/promotion.js';
import { TallyView } from '../view/tally.js';
import { describeWhereabouts } from '../view/whereabouts.js';
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
    if (!seated) replace(root, h('div', { class: 'page loading' }, h('p', null, 'Back to your seat…')));
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
  private readonly board: BoardView;
  private readonly moves = new MoveList('No moves yet.', 'you');
  private eta: { tablesAhead: number; ms: number | null; at: number } | null = null;
  /** The page's title as set last: the blinking title alternates with it. */
  private pageTitle = document.title;
  private readonly attention = new Attention(() => this.pageTitle);
  private readonly notifyBox = h('input', { type: 'checkbox', id: 'notify', 'data-testid': 'notify' });
  /** The ply at which Judit's arrival was last announced. */
  private arrivalSaidAt = -1;
  /** A move sent and not yet answered. */
  private pending = false;
  /** Judit moved and the player has not answered yet: the tab title says so. */
  private flagged = false;
  /** False while the connection is down: what we know of Judit is old news then. */
  private online = connectionState() === 'connected';

  private readonly frame = h('div', { class: 'board-frame' });
  private readonly boardEl = h('div', { class: 'board-el', 'data-testid': 'board' });
  private readonly where = h('p', { class: 'where-headline', 'data-testid': 'whereabouts' });
  private readonly whereDetail = h('p', { class: 'where-detail' });
  private readonly wherePanel = h('section', { class: 'panel whereabouts', 'aria-live': 'polite' }, this.where, this.whereDetail);
  private readonly juditActivity = h('span', { class: 'activity' });
  private readonly juditBar: HTMLElement;
  private readonly youTurn = h('span', { class: 'activity' });
  private readonly youBar: HTMLElement;
  private readonly message = h('p', { class: 'action-message', role: 'status', 'data-testid': 'message' });
  private readonly drawButton = h('button', { class: 'btn', type: 'button', 'data-testid': 'offer-draw' }, 'Offer draw');
  private readonly resign = confirmButton({ label: 'Resign', confirm: 'Yes, resign', testId: 'resign', action: () => this.doResign() });
  private readonly actions = h('div', { class: 'button-row game-actions' }, this.drawButton, this.resign.el);
  private readonly result = h('section', { class: 'panel result', hidden: true, 'data-testid': 'result' });
  /** The move typed on the keyboard: SAN or UCI, checked as a drag is. */
  private readonly moveInput = h('input', {
    id: 'move-input',
    type: 'text',
    autocomplete: 'off',
    autocapitalize: 'off',
    spellcheck: 'false',
    placeholder: 'e4, Nf3, O-O, e7e8=Q',
    'aria-describedby': 'move-help move-error',
    'data-testid': 'move-input',
  });
  private readonly moveError = h('p', { class: 'field-error', id: 'move-error', role: 'alert', 'data-testid': 'move-error' });
  private readonly moveForm = h(
    'form',
    { class: 'move-form', novalidate: true },
    h('label', { for: 'move-input' }, 'Move'),
    h('div', { class: 'move-row' }, this.moveInput, h('button', { class: 'btn', type: 'submit' }, 'Play')),
    h('p', { class: 'sr-only', id: 'move-help' }, 'Type a move in algebraic notation, such as e4, Nf3, O-O, or from and to squares, such as g1f3, then press Enter.'),
    this.moveError,
  );
  /** What a screen reader says as it happens: Judit's arrival, her moves, yours, the result. */
  private readonly announcer = h('p', { class: 'sr-only', 'aria-live': 'polite', 'data-testid': 'announce' });
  private readonly textBoard = h('div', { class: 'sr-only', 'data-testid': 'text-board' });
  private readonly statusChip = h('span', { class: 'chip' });
  private readonly tally = new TallyView();
  private readonly exhibitionLine = h('p', { class: 'muted' });
  private readonly stops: (() => void)[] = [];
  private readonly timer: number;

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
    this.game = new Game(granted.board.startFen, granted.board.moves);
    this.eta = this.etaFrom(granted.snapshot.etas);

    this.juditBar = h(
      'div',
      { class: 'player-bar judit-bar' },
      h('span', { class: `piece-dot ${granted.board.juditColor}` }),
      h('strong', null, 'Judit'),
      h('span', { class: 'rating' }, this.live.config.elo === null ? 'full strength' : String(this.live.config.elo)),
      this.juditActivity,
    );
    this.youBar = h(
      'div',
      { class: 'player-bar you-bar' },
      h('span', { class: `piece-dot ${this.color}` }),
      h('strong', { 'data-testid': 'you' }, granted.board.opponent),
      h('span', { class: 'rating' }, `table ${this.table}`),
      this.youTurn,
    );
    this.frame.appendChild(this.boardEl);
    this.drawButton.addEventListener('click', () => void this.offerDraw());
    this.moveInput.addEventListener('input', () => setText(this.moveError, ''));
    this.notifyBox.checked = wantsNotifications() && canNotify() && Notification.permission === 'granted';
    this.notifyBox.addEventListener('change', () => {
      const asked = this.notifyBox.checked;
      void optInToNotifications(asked).then((granted) => {
        this.notifyBox.checked = granted;
        if (asked && !granted) this.say('The browser did not allow notifications: they stay off.');
      });
    });
    this.moveForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.onTyped();
    });

    replace(
      root,
      h(
        'div',
        { class: 'page play', 'data-table': this.table },
        h(
          'div',
          { class: 'play-layout' },
          this.wherePanel,
          h(
            'div',
            { class: 'play-board' },
            h('h1', { class: 'sr-only' }, `Table ${this.table} against Judit`),
            this.juditBar,
            this.frame,
            this.youBar,
            this.moveForm,
            this.announcer,
            h('section', { class: 'sr-only', 'aria-label': 'The position in words' }, h('h2', null, 'The position in words'), this.textBoard),
          ),
          h(
            'div',
            { class: 'play-side' },
            this.result,
            h(
              'section',
              { class: 'panel game-panel' },
              h('h2', { class: 'panel-title' }, `Table ${this.table}`, h('span', { class: 'muted' }, ` · you play ${this.color}`)),
              this.moves.el,
              this.actions,
              this.message,
              canNotify()
                ? h('p', { class: 'notify' }, this.notifyBox, h('label', { for: 'notify' }, ' Notify me when it is my move (while this tab is in the background)'))
                : null,
            ),
            h(
              'section',
              { class: 'panel exhibition-panel' },
              h('h2', { class: 'panel-title' }, this.live.config.name, ' ', this.statusChip),
              this.exhibitionLine,
              h('p', { class: 'tally-line' }, 'Judit’s score ', this.tally.el),
              h('p', null, h('a', { href: paths.watch(id) }, 'Watch every board →')),
            ),
          ),
        ),
      ),
    );

    // chessground measures its element: create it once the element is in the page
    this.board = new BoardView(this.boardEl, { orientation: this.color, onMove: (from, to) => void this.onMove(from, to) });
    this.moves.set(this.game.moves, this.game.startFen);

    this.stops.push(
      this.live.on((change) => {
        switch (change.kind) {
          case 'move':
            if (change.table === this.table) this.onServerMove(change.move);
            return;
          case 'board':
            if (change.table === this.table) this.drawGame();
            this.drawExhibition();
            return;
          case 'judit':
            this.drawWhereabouts();
            if (this.juditArrived()) this.announce('Judit has arrived at your table and is thinking.');
            return;
          case 'drawDeclined':
            if (change.table === this.table) this.say('Judit declined your draw offer. Play on!');
            return;
          case 'seat':
            if (change.table === this.table && !this.live.boards.has(this.table)) return this.onLost();
            this.drawAll();
            return;
          case 'status':
          case 'snapshot':
          case 'config':
            this.drawAll();
            return;
          case 'stats':
          case 'spectators':
          case 'seats':
            return;
          default: {
            const unhandled: never = change;
            return unhandled;
          }
        }
      }),
      onConnection((state) => {
        this.online = state === 'connected';
        this.drawWhereabouts();
      }),
      listen('judit:eta', (msg) => {
        if (msg.id !== this.id || msg.eta.table !== this.table) return;
        this.eta = { tablesAhead: msg.eta.tablesAhead, ms: msg.eta.ms, at: Date.now() };
        this.drawWhereabouts();
      }),
    );
    // the whereabouts panel above the board says when the connection is lost: no toast over the moves
    document.body.classList.add('connection-in-page');
    this.timer = window.setInterval(() => {
      this.drawWhereabouts();
      this.drawClock();
    }, 1000);
    this.drawAll();
  }

  /** A fresh grant after a reconnection: everything from the server again. */
  reset(granted: SeatGranted): void {
    this.pending = false;
    this.clearError(); // a failure said before the reconnection is old news: the board is the server's now
    this.game = new Game(granted.board.startFen, granted.board.moves);
    this.eta = this.etaFrom(granted.snapshot.etas);
    this.moves.set(this.game.moves, this.game.startFen);
    this.live.reset(granted.snapshot); // redraws everything
  }

  /** Clears the message if it reports a failure. */
  private clearError(): void {
    if (this.message.classList.contains('error')) this.say('');
  }

  say(text: string, tone: 'info' | 'error' = 'info'): void {
    setText(this.message, text);
    toggle(this.message, 'error', tone === 'error');
  }

  dispose(): void {
    document.body.classList.remove('connection-in-page');
    window.clearInterval(this.timer);
    for (const stop of this.stops) stop();
    this.board.destroy();
    this.live.dispose();
    this.attention.dispose();
    setTitle(null);
  }

  // ── moves ──────────────────────────────────────────────────────────────

  private async onMove(from: Key, to: Key): Promise<void> {
    let uci = `${from}${to}`;
    if (this.game.isPromotion(from, to)) {
      this.board.freeze();
      const role = await choosePromotion(this.frame, to, this.color, this.color);
      if (!role) return this.drawBoard(); // taken back
      this.board.promote(to, role, this.color);
      uci += ROLE_LETTER[role];
    }
    await this.send(uci);
  }

  /** The Move field: the same checks as a drag, and a sentence when the move is refused. */
  private async onTyped(): Promise<void> {
    const text = this.moveInput.value.trim();
    if (!text) return setText(this.moveError, 'Type a move first, such as e4 or Nf3.');
    const refusal =
      this.summary?.end != null
        ? 'Your game is over.'
        : this.live.status !== 'running'
          ? this.live.status === 'open'
            ? 'The game has not started yet.'
            : `The exhibition is ${statusLabel[this.live.status].toLowerCase()}.`
          : this.pending
            ? 'Your last move is still being sent.'
            : this.game.turn() !== this.color
              ? 'It is Judit’s move: wait for her to reach your table.'
              : null;
    if (refusal) return setText(this.moveError, refusal);
    const uci = this.game.typed(text);
    if (!uci) return setText(this.moveError, `${text} is not a legal move here. Type a move such as e4, Nf3 or O-O, or squares such as g1f3.`);
    setText(this.moveError, '');
    this.moveInput.value = '';
    await this.send(uci);
  }

  /** Says `text` to a screen reader (a repeat is said again). */
  private announce(text: string): void {
    setText(this.announcer, this.announcer.textContent === text ? `${text} ` : text);
  }

  private async send(uci: string): Promise<void> {
    this.pending = true;
    this.say('');
    this.board.freeze(); // the piece stays where it was dropped until the server answers
    this.drawWhereabouts();
    const reply = await request('move:play', { id: this.id, token: this.token, table: this.table, ply: this.game.ply, uci });
    this.pending = false;
    if (reply.ok) {
      this.game.apply(reply.move);
      this.moves.append(reply.move);
      this.announce(`You played ${sanInWords(reply.move.san)}.`);
      this.unflag();
      playMoveSound(false);
    } else {
      this.say(explain(reply.error), 'error');
      if (reply.error.code === 'STALE_PLY') await this.refetch();
    }
    this.drawGame();
  }

  private onServerMove(move: MoveRecord): void {
    if (!this.game.apply(move)) {
      void this.refetch(); // a move went missing: take the whole board again
      return;
    }
    this.moves.append(move);
    // our own move, sent again on reconnection after its answer timed out: it was played after all
    if (move.by === 'opponent') this.clearError();
    if (move.by === 'judit') {
      playMoveSound(true);
      this.announce(`Judit played ${sanInWords(move.san)}. Your move.`);
      this.flag(move.san);
    }
    this.drawGame();
    if (move.by === 'judit') this.board.playPremove();
  }

  /** The whole board from the server (after a gap or a stale move). */
  private async refetch(): Promise<void> {
    const reply = await request('board:open', { id: this.id, table: this.table });
    if (!reply.ok) return;
    this.game = new Game(reply.board.startFen, reply.board.moves);
    this.moves.set(this.game.moves, this.game.startFen);
    this.live.boards.set(this.table, reply.board);
    this.drawGame();
  }

  private async offerDraw(): Promise<void> {
    this.drawButton.disabled = true;
    const reply = await request('game:offerDraw', { id: this.id, token: this.token, table: this.table });
    if (reply.ok) this.say('Draw offered. Judit answers when she comes to your table.');
    else this.say(explain(reply.error), 'error');
    this.drawGame();
  }

  private async doResign(): Promise<void> {
    const reply = await request('game:resign', { id: this.id, token: this.token, table: this.table });
    if (!reply.ok) this.say(explain(reply.error), 'error');
  }

  // ── drawing ────────────────────────────────────────────────────────────

  /** Judit has just begun thinking at this table over a position not announced yet. */
  private juditArrived(): boolean {
    const j = this.live.snapshot.judit;
    if (j.table !== this.table || j.activity !== 'thinking' || this.summary?.end != null) return false;
    if (this.arrivalSaidAt === this.game.ply) return false;
    this.arrivalSaidAt = this.game.ply;
    return true;
  }

  private get summary(): BoardSummary | undefined {
    return this.live.boards.get(this.table);
  }

  private drawAll(): void {
    this.drawGame();
    this.drawExhibition();
  }

  private drawGame(): void {
    this.drawBoard();
    this.drawActions();
    this.drawResult();
    this.drawWhereabouts();
    this.drawClock();
  }

  private drawBoard(): void {
    if (this.pending) return this.board.freeze();
    const over = this.summary?.end != null;
    const running = this.live.status === 'running';
    const myTurn = this.game.turn() === this.color;
    const movable = !over && running && !this.pending ? { color: this.color, dests: this.game.dests(), premove: !myTurn } : null;
    const last = this.game.moves[this.game.moves.length - 1];
    this.board.show({ fen: this.game.fen(), lastMove: last?.uci ?? null, turn: this.game.turn(), check: this.game.inCheck() }, movable);
    this.boardEl.dataset.ply = String(this.game.ply);
    this.boardEl.dataset.orientation = this.color;
    this.boardEl.dataset.turn = myTurn ? 'you' : 'judit';
    const squares = this.game.squares();
    setText(
      this.textBoard,
      `You play ${this.color}. White: ${piecesInWords(squares, 'w')}. Black: ${piecesInWords(squares, 'b')}. ${myTurn ? 'Your move.' : 'Judit’s move.'}`,
    );
  }

  private drawActions(): void {
    const s = this.summary;
    const playing = (this.live.status === 'running' || this.live.status === 'paused') && !s?.end;
    show(this.actions, playing);
    this.drawButton.disabled = !playing || this.live.status !== 'running' || s?.drawOffered === true;
    setText(this.drawButton, s?.drawOffered ? 'Draw offered' : 'Offer draw');
    this.drawButton.title = `Judit considers a draw from move ${this.live.config.drawMinMove}, in a level position.`;
    this.resign.setDisabled(!playing);
  }

  private drawResult(): void {
    const end = this.summary?.end;
    show(this.result, !!end);
    if (!end) {
      this.title(this.flagged ? `● Your move — table ${this.table}` : `Table ${this.table} against Judit`);
      return;
    }
    this.unflag();
    this.title(`${endHeadlineForYou(end)} — table ${this.table}`);
    if (this.result.dataset.result === `${end.result}|${end.reason}`) return;
    this.announce(`${endHeadlineForYou(end)} ${endReason(end, 'you')}`);
    this.say(''); // "Draw offered…" and the like mean nothing under the result
    this.result.dataset.result = `${end.result}|${end.reason}`;
    const tone = end.winner === 'opponent' ? 'won' : end.winner === 'judit' ? 'lost' : 'drawn';
    this.result.className = `panel result ${tone}`;
    replace(
      this.result,
      h('p', { class: 'result-score' }, end.result === '1/2-1/2' ? '½–½' : end.result.replace('-', '–')),
      h('h2', { class: 'result-headline' }, endHeadlineForYou(end)),
      h('p', { class: 'result-reason' }, endReason(end, 'you')),
      h(
        'p',
        { class: 'button-row' },
        h('a', { class: 'btn btn-primary', href: pgnUrl(this.id, this.table), download: `simul-${this.id}-table-${this.table}.pgn`, 'data-testid': 'pgn' }, 'Download PGN'),
        h('a', { class: 'btn', href: paths.watch(this.id) }, 'Watch the other boards'),
      ),
    );
  }

  private drawWhereabouts(): void {
    if (!this.online) {
      setText(this.where, 'Connection lost — reconnecting…');
      setText(this.whereDetail, 'Your seat is kept for you; the board catches up as soon as the connection is back.');
      this.wherePanel.className = 'panel whereabouts tone-offline';
      return;
    }
    const s = this.summary;
    const eta = this.eta
      ? { tablesAhead: this.eta.tablesAhead, ms: this.eta.ms === null ? null : this.eta.ms - (Date.now() - this.eta.at) }
      : null;
    const first = Math.min(...this.live.boards.keys(), this.table);
    const w = describeWhereabouts({
      status: this.live.status,
      judit: this.live.snapshot.judit,
      table: this.table,
      gameOver: !!s?.end,
      eta,
      firstTable: first,
    });
    setText(this.where, w.headline);
    this.wherePanel.dataset.tone = w.tone;
    this.wherePanel.className = `panel whereabouts tone-${w.tone}`;

    const myTurn = this.game.turn() === this.color;
    const last = this.game.moves[this.game.moves.length - 1];
    let detail = '';
    if (s?.end) detail = 'Your game is over.';
    else if (this.live.status === 'open') {
      detail = this.live.config.lateJoin
        ? `You are at table ${this.table}. The exhibition is starting: your board wakes up in a moment.`
        : `You are at table ${this.table}. The board wakes up when the host starts.`;
    }
    else if (this.live.status !== 'running') detail = '';
    else if (myTurn) {
      detail = last?.by === 'judit' ? `She played ${last.san}. Your move.` : 'Your move.';
    }
    else detail = this.pending ? 'Sending your move…' : 'Judit’s move: she plays it when she reaches your table.';
    setText(this.whereDetail, detail);

    const j = this.live.snapshot.judit;
    const hereNow = this.live.status === 'running' && j.table === this.table && !s?.end;
    setText(this.juditActivity, hereNow ? (j.activity === 'thinking' ? 'thinking…' : j.activity === 'walking' ? 'coming' : 'at your table') : '');
    toggle(this.juditBar, 'active', hereNow && j.activity === 'thinking');
  }

  /** The per-move limit, when the host set one, counting down on the player's turn. */
  private drawClock(): void {
    const s = this.summary;
    const limit = this.live.config.opponentMoveLimitSeconds;
    const myTurn = this.game.turn() === this.color;
    const playing = this.live.status === 'running' && !s?.end;
    if (!playing || !myTurn) {
      setText(this.youTurn, '');
      toggle(this.youBar, 'active', false);
      return;
    }
    toggle(this.youBar, 'active', true);
    if (limit === null || !s) return setText(this.youTurn, 'your move');
    const left = s.turnSince + limit * 1000 - serverNow();
    setText(this.youTurn, `your move · ${clock(left)} left`);
    toggle(this.youTurn, 'urgent', left < 10_000);
  }

  private drawExhibition(): void {
    const x = this.live;
    setText(this.statusChip, statusLabel[x.status]);
    this.statusChip.className = `chip chip-${x.status}`;
    this.tally.update(x.tally());
    setText(this.exhibitionLine, `${plural(x.boards.size, 'board')}. ${engineLine(x.config.elo, x.config.thinkSeconds)}`);
  }

  private title(text: string): void {
    setTitle(text);
    this.pageTitle = document.title;
    this.attention.titleChanged();
  }

  /** Judit has moved: the title, the favicon and (if asked for) a notification say it is your move. */
  private flag(san: string): void {
    this.flagged = true;
    this.drawResult();
    this.attention.raise(`Judit played ${san} at table ${this.table}.`);
  }

  private unflag(): void {
    if (!this.flagged) return;
    this.flagged = false;
    this.title(`Table ${this.table} against Judit`);
    this.attention.clear();
  }

  private etaFrom(etas: Eta[]): SeatedView['eta'] {
    const mine = etas.find((e) => e.table === this.table);
    return mine ? { tablesAhead: mine.tablesAhead, ms: mine.ms, at: Date.now() } : null;
  }
}
