/** The host's console: invite, watch the seats fill, start, pause, resume, end, remove. */
import type { ExhibitionStatus } from '../../../shared/domain.js';
import type { HostCommand } from '../../../shared/schemas.js';
import { h, replace, setText, show } from '../dom.js';
import { endHeadline, plural, seconds, statusLabel, strength } from '../format.js';
import { hostKeyOf, keepHostKey } from '../keyring.js';
import { LiveExhibition } from '../live.js';
import { pgnUrl } from '../api.js';
import { request, whenConnected } from '../net.js';
import { type Page, type PageContext, setTitle } from '../page.js';
import { explain } from '../problem.js';
import { paths } from '../router.js';
import { type ConfirmButton, confirmButton } from '../view/confirm.js';
import { copyField } from '../view/copy.js';
import { BoardGrid, liveGridSource } from '../view/grid.js';
import { LessonPanel } from '../view/lesson.js';
import { StatsPanel } from '../view/stats.js';
import { TallyView } from '../view/tally.js';
import { perFrame } from '../frame.js';
import { messagePage } from './message.js';

type Action = 'host:start' | 'host:pause' | 'host:resume' | 'host:end';

interface SeatRow {
  tr: HTMLTableRowElement;
  dot: HTMLElement;
  online: HTMLElement;
  game: HTMLElement;
  kick: ConfirmButton;
  /** Picks the seat for "remove selected". */
  pick: HTMLInputElement;
  mode: 'free' | 'remove';
}

export function consolePage({ root, route, url }: PageContext<{ page: 'console'; id: string }>): Page {
  const id = route.id;
  const fromHash = new URLSearchParams(url.hash.slice(1)).get('key');
  const hostKey = fromHash ?? hostKeyOf(id);
  setTitle('Host console');
  if (!hostKey) {
    return messagePage(root, {
      title: 'This console needs the host key',
      text: 'Open the console with the link you got when you created the exhibition: it carries the host key.',
      links: [{ href: paths.watch(id), label: 'Watch this exhibition' }],
    });
  }
  const command: HostCommand = { id, hostKey };

  replace(root, h('div', { class: 'page loading' }, h('p', null, 'Opening the console…')));
  let live: LiveExhibition | null = null;
  let view: ConsoleView | null = null;

  const stop = whenConnected(() => {
    void request('host:watch', command).then((reply) => {
      if (!reply.ok) {
        if (live) return; // a reconnection that failed: keep what is shown, the banner says why
        const forbidden = reply.error.code === 'FORBIDDEN';
        messagePage(root, {
          title: forbidden ? 'That host key does not open this exhibition' : 'The console could not be opened',
          text: forbidden ? 'Check that you copied the whole console link.' : explain(reply.error),
          links: [{ href: paths.lobby(), label: 'Back to the lobby' }],
        });
        return;
      }
      if (fromHash) keepHostKey(id, hostKey);
      if (!live) {
        live = new LiveExhibition(id, reply.snapshot);
        live.seats = reply.seats;
        view = new ConsoleView(root, live, command);
      } else {
        live.seats = reply.seats;
        live.reset(reply.snapshot);
      }
    });
  });

  return {
    dispose() {
      stop();
      view?.dispose();
      live?.dispose();
    },
  };
}

class ConsoleView {
  private readonly statusChip = h('span', { class: 'chip', 'data-testid': 'status' });
  private readonly actionsError = h('p', { class: 'inline-error', role: 'alert' });
  private readonly controlsNote = h('p', { class: 'controls-note muted' });
  private readonly pgnLink = h('a', { class: 'btn', href: '', download: '' }, 'Download all games (PGN)');
  private readonly buttons = new Map<Action, HTMLButtonElement>();
  /** The start was asked for and not answered yet (Judit's engine is warming up). */
  private starting = false;
  private readonly end = confirmButton({
    label: 'End exhibition',
    confirm: 'End it now',
    className: 'btn-quiet',
    testId: 'end',
    action: () => this.act('host:end'),
  });
  private readonly seatsBody = h('tbody');
  private readonly rows = new Map<number, SeatRow>();
  private readonly seatsNote = h('p', { class: 'muted' });
  private readonly bulkError = h('span', { class: 'inline-error' });
  /** Removes every picked seat in one command: a crowd from one address is cleared at once. */
  private readonly removeSelected = confirmButton({
    label: 'Remove selected',
    confirm: 'Remove them',
    className: 'btn-small btn-quiet',
    testId: 'kick-selected',
    action: async () => {
      setText(this.bulkError, '');
      const tables = [...this.rows].filter(([, row]) => row.pick.checked).map(([table]) => table);
      if (tables.length === 0) return setText(this.bulkError, 'Tick the seats to remove first.');
      const reply = await request('host:kickMany', { ...this.command, tables });
      if (!reply.ok) return setText(this.bulkError, explain(reply.error));
      for (const table of reply.removed) {
        const row = this.rows.get(table);
        if (row) row.pick.checked = false;
      }
    },
  });
  private readonly tally = new TallyView();
  private readonly tallyNote = h('span', { class: 'muted' });
  private readonly stats = new StatsPanel();
  private readonly lesson: LessonPanel;
  private readonly grid: BoardGrid;
  private readonly settings = h('p', { class: 'settings-line' });
  private readonly stopLive: () => void;
  /** Seats and results redrawn once a frame at most: a hundred boards move often. */
  private readonly seatsAndResults = perFrame(() => {
    this.drawSeats();
    this.drawResults();
  });

  constructor(
    root: HTMLElement,
    private readonly live: LiveExhibition,
    private readonly command: HostCommand,
  ) {
    const id = live.id;
    const origin = location.origin;
    for (const [action, label, cls] of [
      ['host:start', 'Start', 'btn-primary'],
      ['host:pause', 'Pause', ''],
      ['host:resume', 'Resume', 'btn-primary'],
    ] as const) {
      const button = h('button', { class: `btn ${cls}`, type: 'button', 'data-testid': action.slice(5) }, label);
      button.addEventListener('click', () => void this.act(action));
      this.buttons.set(action, button);
    }
    this.grid = new BoardGrid(liveGridSource(live), (table) => paths.watch(id, table));
    this.lesson = new LessonPanel(live);

    replace(
      root,
      h(
        'div',
        { class: 'page console' },
        h(
          'header',
          { class: 'page-head' },
          h('p', { class: 'eyebrow' }, 'Host console'),
          h('h1', null, live.config.name, ' ', this.statusChip),
          this.settings,
        ),
        h(
          'div',
          { class: 'console-layout' },
          h(
            'div',
            { class: 'console-main' },
            h(
              'section',
              { class: 'panel controls', 'aria-label': 'Controls' },
              h('div', { class: 'button-row' }, [...this.buttons.values()], this.end.el, this.pgnLink, this.controlsNote),
              this.actionsError,
            ),
            h(
              'section',
              { class: 'panel invite' },
              h('h2', { class: 'panel-title' }, 'Invite'),
              copyField('Opponents take a seat here', `${origin}${paths.play(id)}`, 'invite-link'),
              copyField('Spectators watch here', `${origin}${paths.watch(id)}`, 'watch-link'),
            ),
            h(
              'section',
              { class: 'panel seats' },
              h('h2', { class: 'panel-title' }, 'Seats'),
              this.seatsNote,
              h('p', { class: 'seat-bulk' }, this.removeSelected.el, this.bulkError),
              h(
                'table',
                { class: 'seat-table' },
                h('thead', null, h('tr', null, h('th', null, h('span', { class: 'sr-only' }, 'Select')), h('th', null, 'Table'), h('th', null, 'Opponent'), h('th', null, 'Game'), h('th', null, h('span', { class: 'sr-only' }, 'Actions')))),
                this.seatsBody,
              ),
            ),
          ),
          h(
            'aside',
            { class: 'console-side' },
            h('section', { class: 'panel results' }, h('h2', { class: 'panel-title' }, 'Judit’s results'), h('p', { class: 'big-tally' }, this.tally.el), this.tallyNote),
            this.stats.el,
          ),
        ),
        this.lesson.el,
        h('section', { class: 'boards-section' }, h('h2', { class: 'section-title' }, 'Boards'), this.grid.el),
      ),
    );
    this.stopLive = live.on((change) => {
      switch (change.kind) {
        case 'board':
          this.grid.touch(change.table);
          this.seatsAndResults();
          return;
        case 'judit':
          this.grid.touchJudit();
          return;
        case 'stats':
          this.stats.update(live.snapshot);
          return;
        case 'seat':
          this.grid.sync();
          this.drawSeats();
          this.drawControls();
          return;
        case 'seats':
          this.seatsAndResults();
          return;
        case 'status':
        case 'snapshot':
        case 'config':
          this.drawAll();
          return;
        case 'move':
        case 'spectators':
        case 'drawDeclined':
          return;
        default: {
          const unhandled: never = change;
          return unhandled;
        }
      }
    });
    this.drawAll();
  }

  dispose(): void {
    this.stopLive();
    this.seatsAndResults.cancel();
    this.grid.dispose();
    this.stats.dispose();
    this.lesson.dispose();
  }

  private drawAll(): void {
    const live = this.live;
    const status = live.status;
    setText(this.statusChip, statusLabel[status]);
    this.statusChip.className = `chip chip-${status}`;
    const c = live.config;
    const color = c.juditColor === 'alternate' ? 'alternates colours' : `plays ${c.juditColor}`;
    setText(
      this.settings,
      `Judit ${color}, ${strength(c.elo)}, ${seconds(c.thinkSeconds)} a move · ${plural(c.boards, 'board')}` +
        (c.walkSeconds ? ` · walks ${seconds(c.walkSeconds)}` : '') +
        (c.opponentMoveLimitSeconds !== null ? ` · ${seconds(c.opponentMoveLimitSeconds)} per move for opponents` : ''),
    );
    this.drawControls();
    this.grid.sync();
    this.grid.touchJudit();
    this.grid.touchAll();
    this.stats.update(live.snapshot);
    this.drawSeats();
    this.drawResults();
  }

  private drawControls(): void {
    const live = this.live;
    const status = live.status;
    show(this.buttons.get('host:start')!, status === 'open');
    show(this.buttons.get('host:pause')!, status === 'running');
    show(this.buttons.get('host:resume')!, status === 'paused');
    this.buttons.get('host:start')!.disabled = live.boards.size === 0 || this.starting;
    this.buttons.get('host:start')!.title = live.boards.size === 0 ? 'Nobody has taken a seat yet' : '';
    show(this.end.el, status === 'open' || status === 'running' || status === 'paused');
    const over = status === 'finished' || status === 'aborted';
    show(this.pgnLink, over);
    this.pgnLink.href = pgnUrl(live.id);
    this.pgnLink.download = `simul-${live.id}.pgn`;
    setText(
      this.controlsNote,
      status === 'open'
        ? live.boards.size === 0
          ? 'Start as soon as opponents are seated.'
          : `${plural(live.boards.size, 'opponent')} ready.`
        : status === 'running'
          ? 'Judit is walking the tables.'
          : status === 'paused'
            ? 'Paused: no one can move until you resume.'
            : status === 'finished'
              ? 'Every game is over.'
              : 'You ended the exhibition.',
    );
  }

  private drawResults(): void {
    const t = this.live.tally();
    this.tally.update(t);
    const status = this.live.status;
    setText(
      this.tallyNote,
      status === 'open' ? 'The games begin at the start.' : t.unfinished ? `${plural(t.unfinished, 'game')} still on` : 'Every game is over.',
    );
  }

  private drawSeats(): void {
    const live = this.live;
    const status: ExhibitionStatus = live.status;
    const connected = new Map(live.seats.map((s) => [s.table, s.connected]));
    const boards = live.boardList();
    const free = live.config.boards - boards.length;
    setText(
      this.seatsNote,
      status === 'open'
        ? boards.length === 0
          ? `No one yet — share the invitation. ${plural(free, 'seat')} free.`
          : `${plural(boards.length, 'opponent')} seated, ${plural(free, 'seat')} free.`
        : `${plural(boards.length, 'opponent')}.`,
    );
    const wanted = new Set(boards.map((b) => b.table));
    for (const [table, row] of this.rows) {
      if (!wanted.has(table)) {
        row.tr.remove();
        this.rows.delete(table);
      }
    }
    let previous: Element | null = null;
    let anyKickable = false;
    for (const b of boards) {
      let row = this.rows.get(b.table);
      const mode = status === 'open' ? 'free' : 'remove';
      if (!row || row.mode !== mode) {
        row?.tr.remove();
        row = this.seatRow(b.table, b.opponent, mode);
        this.rows.set(b.table, row);
      }
      const next: Element | null = previous ? previous.nextElementSibling : this.seatsBody.firstElementChild;
      if (next !== row.tr) this.seatsBody.insertBefore(row.tr, next); // table order, moving only what is out of place
      previous = row.tr;
      const online = connected.get(b.table) ?? false;
      row.dot.className = `dot ${online ? 'online' : 'offline'}`;
      row.dot.title = online ? 'Connected' : 'Not connected';
      setText(row.online, online ? ' (connected)' : ' (not connected)');
      row.tr.dataset.connected = String(online);
      setText(
        row.game,
        b.end ? endHeadline(b.end, b.opponent) : status === 'open' ? 'Waiting' : b.turn === b.juditColor ? 'Judit to move' : 'Their move',
      );
      const kickable = status === 'open' || ((status === 'running' || status === 'paused') && !b.end);
      const canKick = kickable && !this.starting;
      row.kick.setDisabled(!canKick);
      show(row.kick.el, kickable);
      row.pick.disabled = !canKick;
      if (!kickable) row.pick.checked = false;
      anyKickable ||= kickable;
    }
    show(this.removeSelected.el, anyKickable);
    this.removeSelected.setDisabled(this.starting);
  }

  private seatRow(table: number, opponent: string, mode: 'free' | 'remove'): SeatRow {
    const dot = h('span', { class: 'dot' });
    const online = h('span', { class: 'sr-only' });
    const game = h('td', { class: 'muted' });
    const error = h('span', { class: 'inline-error' });
    const kick = confirmButton({
      label: mode === 'free' ? 'Free seat' : 'Remove',
      confirm: mode === 'free' ? 'Free it' : 'Remove (forfeit)',
      className: 'btn-small btn-quiet',
      testId: `kick-${table}`,
      action: async () => {
        setText(error, '');
        const reply = await request('host:kick', { ...this.command, table });
        if (!reply.ok) setText(error, explain(reply.error));
      },
    });
    const pick = h('input', { type: 'checkbox', 'aria-label': `Select table ${table}`, 'data-testid': `pick-${table}` });
    const tr = h(
      'tr',
      { 'data-table': table },
      h('td', null, pick),
      h('td', { class: 'num' }, String(table)),
      h('td', null, dot, h('span', { class: 'seat-name' }, opponent), online),
      game,
      h('td', { class: 'actions' }, kick.el, error),
    );
    return { tr, dot, online, game, kick, pick, mode };
  }

  private async act(action: Action): Promise<void> {
    setText(this.actionsError, '');
    const button = this.buttons.get(action);
    if (button) button.disabled = true;
    // Judit's engine warms up before the start is answered: say so, and let no seat change meanwhile
    const starting = action === 'host:start';
    const label = button?.textContent ?? '';
    if (starting) {
      this.starting = true;
      if (button) setText(button, 'Starting…');
      this.drawSeats();
    }
    const reply = await request(action, this.command);
    if (starting) {
      this.starting = false;
      if (button) setText(button, label);
    }
    if (button) button.disabled = false;
    if (!reply.ok) setText(this.actionsError, explain(reply.error));
    this.drawAll();
  }
}
