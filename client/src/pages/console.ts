/** The host's console: invite, watch the seats fill, start, pause, resume, end, remove. */
import { giverName } from '../../../shared/givers.js';
import type { BoardSummary } from '../../../shared/domain.js';
import type { HostCommand } from '../../../shared/schemas.js';
import { h as el, replace, show } from '../dom.js';
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
import { CandidatesPanel } from '../view/candidates.js';
import { ChatPanel } from '../view/chat.js';
import { BoardGrid, liveGridSource } from '../view/grid.js';
import { LessonPanel } from '../view/lesson.js';
import { statsView } from '../view/stats.js';
import { TallyView } from '../view/tally.js';
import { h, holder, mount, type Mounted, type VNode } from '../vdom.js';
import { messagePage } from './message.js';

type Action = 'host:start' | 'host:pause' | 'host:resume' | 'host:end';

const ACTION_BUTTONS = [
  ['host:start', 'Start', 'btn-primary'],
  ['host:pause', 'Pause', ''],
  ['host:resume', 'Resume', 'btn-primary'],
] as const;

/** A seat's own "free" or "remove" button (it asks once more), and what went wrong with it last. */
interface SeatKick {
  mode: 'free' | 'remove';
  button: ConfirmButton;
  error: string;
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

  replace(root, el('div', { class: 'page loading' }, el('p', null, 'Opening the console…')));
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
  /** The command asked for and not answered yet. */
  private acting: Action | null = null;
  private actionsError = '';
  private readonly end = confirmButton({
    label: 'End exhibition',
    confirm: 'End it now',
    className: 'btn-quiet',
    testId: 'end',
    action: () => this.act('host:end'),
  });
  private readonly kicks = new Map<number, SeatKick>();
  /** Seats picked for "remove selected". */
  private readonly picked = new Set<number>();
  private bulkError = '';
  /** Removes every picked seat in one command: a crowd from one address is cleared at once. */
  private readonly removeSelected = confirmButton({
    label: 'Remove selected',
    confirm: 'Remove them',
    className: 'btn-small btn-quiet',
    testId: 'kick-selected',
    action: () => this.kickPicked(),
  });
  private readonly tally = new TallyView();
  private readonly lesson: LessonPanel;
  private readonly grid: BoardGrid;
  private readonly chat: ChatPanel;
  private readonly candidates: CandidatesPanel;
  private readonly invite: HTMLElement[];
  private readonly stopLive: () => void;
  private readonly timer: number;
  private readonly view: Mounted;

  constructor(
    root: HTMLElement,
    private readonly live: LiveExhibition,
    private readonly command: HostCommand,
  ) {
    const id = live.id;
    this.invite = [
      copyField('Opponents take a seat here', `${location.origin}${paths.play(id)}`, 'invite-link'),
      copyField('Spectators watch here', `${location.origin}${paths.watch(id)}`, 'watch-link'),
    ];
    this.grid = new BoardGrid(liveGridSource(live), (table) => paths.watch(id, table));
    this.lesson = new LessonPanel(live);
    this.chat = new ChatPanel(id, { hostKey: command.hostKey }, () => this.view.redraw());
    this.candidates = new CandidatesPanel(id, command.hostKey, () => this.view.redraw());
    this.view = mount(root, () => this.render());
    this.stopLive = live.on(() => this.view.redraw());
    // the statistics' clocks
    this.timer = window.setInterval(() => this.view.redraw(), 1000);
  }

  dispose(): void {
    this.stopLive();
    window.clearInterval(this.timer);
    this.chat.dispose();
    this.candidates.dispose();
    this.view.dispose();
    this.grid.dispose();
    this.lesson.dispose();
  }

  /** Until the start is answered, or seen: the exhibition's new status may reach the page before the answer. */
  private get starting(): boolean {
    return this.acting === 'host:start' && this.live.status === 'open';
  }

  private async act(action: Action): Promise<void> {
    this.actionsError = '';
    // Judit's engine warms up before the start is answered: say so, and let no seat change meanwhile
    this.acting = action;
    this.view.redraw();
    const reply = await request(action, this.command);
    this.acting = null;
    if (!reply.ok) this.actionsError = explain(reply.error);
    this.view.redraw();
  }

  private async kick(table: number, kick: SeatKick): Promise<void> {
    kick.error = '';
    this.view.redraw();
    const reply = await request('host:kick', { ...this.command, table });
    if (!reply.ok) kick.error = explain(reply.error);
    this.view.redraw();
  }

  private async kickPicked(): Promise<void> {
    this.bulkError = '';
    const tables = [...this.picked];
    if (tables.length === 0) this.bulkError = 'Tick the seats to remove first.';
    this.view.redraw();
    if (tables.length === 0) return;
    const reply = await request('host:kickMany', { ...this.command, tables });
    if (!reply.ok) this.bulkError = explain(reply.error);
    else for (const table of reply.removed) this.picked.delete(table);
    this.view.redraw();
  }

  // ── the view ───────────────────────────────────────────────────────────

  private render(): VNode {
    const x = this.live;
    const status = x.status;
    const c = x.config;
    const color = c.juditColor === 'alternate' ? 'alternates colours' : `plays ${c.juditColor}`;
    const settings =
      `${c.givers > 1 ? `${c.givers} givers (${Array.from({ length: c.givers }, (_, g) => giverName(g)).join(', ')})` : 'Judit'} ${color}, ${strength(c.elo)}, ${seconds(c.thinkSeconds)} a move · ${plural(c.boards, 'board')}` +
      (c.walkSeconds ? ` · walks ${seconds(c.walkSeconds)}` : '') +
      (c.opponentMoveLimitSeconds !== null ? ` · ${seconds(c.opponentMoveLimitSeconds)} per move for opponents` : '');
    const t = x.tally();
    this.tally.update(t);
    return h('div.page.console', [
      h('header.page-head', [
        h('p.eyebrow', 'Host console'),
        h('h1', [c.name, ' ', h('span.chip', { class: { [`chip-${status}`]: true }, attrs: { 'data-testid': 'status' } }, statusLabel[status])]),
        h('p.settings-line', settings),
      ]),
      h('div.console-layout', [
        h('div.console-main', [
          this.controls(),
          h('section.panel.invite', [h('h2.panel-title', 'Invite'), ...this.invite.map(holder)]),
          this.seats(),
        ]),
        h('aside.console-side', [
          h('section.panel.results', [
            h('h2.panel-title', 'Judit’s results'),
            h('p.big-tally', [holder(this.tally.el)]),
            h(
              'span.muted',
              status === 'open' ? 'The games begin at the start.' : t.unfinished ? `${plural(t.unfinished, 'game')} still on` : 'Every game is over.',
            ),
          ]),
          x.config.approval ? this.candidates.view() : null,
          statsView(x.snapshot),
          this.chat.view(),
        ]),
      ]),
      this.lesson.view(),
      h('section.boards-section', [h('h2.section-title', 'Boards'), this.grid.view(null)]),
    ]);
  }

  private controls(): VNode {
    const x = this.live;
    const status = x.status;
    const seated = x.boards.size;
    const shownFor: Record<(typeof ACTION_BUTTONS)[number][0], boolean> = {
      'host:start': status === 'open',
      'host:pause': status === 'running',
      'host:resume': status === 'paused',
    };
    const buttons = ACTION_BUTTONS.map(([action, label, cls]) =>
      h(
        'button.btn',
        {
          key: action,
          class: cls ? { [cls]: true } : {},
          attrs: {
            type: 'button',
            'data-testid': action.slice(5),
            title: action === 'host:start' && seated === 0 ? 'Nobody has taken a seat yet' : '',
          },
          props: { hidden: !shownFor[action], disabled: this.acting === action || (action === 'host:start' && seated === 0) },
          on: { click: () => void this.act(action) },
        },
        action === 'host:start' && this.starting ? 'Starting…' : label,
      ),
    );
    show(this.end.el, status === 'open' || status === 'running' || status === 'paused');
    const over = status === 'finished' || status === 'aborted';
    const note =
      status === 'open'
        ? seated === 0
          ? 'Start as soon as opponents are seated.'
          : `${plural(seated, 'opponent')} ready.`
        : status === 'running'
          ? x.config.givers > 1
            ? `${plural(x.config.givers, 'giver')} are walking their sections of the tables.`
            : 'Judit is walking the tables.'
          : status === 'paused'
            ? 'Paused: no one can move until you resume.'
            : status === 'finished'
              ? 'Every game is over.'
              : 'You ended the exhibition.';
    return h('section.panel.controls', { attrs: { 'aria-label': 'Controls' } }, [
      h('div.button-row', [
        ...buttons,
        holder(this.end.el),
        h('a.btn', { key: 'pgn', attrs: { href: pgnUrl(x.id), download: `simul-${x.id}.pgn` }, props: { hidden: !over } }, 'Download all games (PGN)'),
        h('p.controls-note.muted', { key: 'note' }, note),
      ]),
      h('p.inline-error', { attrs: { role: 'alert' } }, this.actionsError),
    ]);
  }

  private seats(): VNode {
    const x = this.live;
    const status = x.status;
    const boards = x.boardList();
    const free = x.config.boards - boards.length;
    const note =
      status === 'open'
        ? boards.length === 0
          ? `No one yet — share the invitation. ${plural(free, 'seat')} free.`
          : `${plural(boards.length, 'opponent')} seated, ${plural(free, 'seat')} free.`
        : `${plural(boards.length, 'opponent')}.`;
    const connected = new Map(x.seats.map((s) => [s.table, s.connected]));
    const seated = new Set(boards.map((b) => b.table));
    for (const table of this.kicks.keys()) if (!seated.has(table)) this.kicks.delete(table);
    const rows = boards.map((b) => this.seatRow(b, connected.get(b.table) ?? false));
    const anyKickable = boards.some((b) => this.kickable(b));
    show(this.removeSelected.el, anyKickable);
    this.removeSelected.setDisabled(this.starting);
    const th = (text: string, hidden = false) => h('th', hidden ? [h('span.sr-only', text)] : text);
    return h('section.panel.seats', [
      h('h2.panel-title', 'Seats'),
      h('p.muted', note),
      h('p.seat-bulk', [holder(this.removeSelected.el), h('span.inline-error', this.bulkError)]),
      h('table.seat-table', [
        h('thead', [h('tr', [th('Select', true), th('Table'), th('Opponent'), th('Game'), th('Actions', true)])]),
        h('tbody', rows),
      ]),
    ]);
  }

  private kickable(b: BoardSummary): boolean {
    const status = this.live.status;
    return status === 'open' || ((status === 'running' || status === 'paused') && !b.end);
  }

  private seatRow(b: BoardSummary, online: boolean): VNode {
    const status = this.live.status;
    const table = b.table;
    const kick = this.kickFor(table, status === 'open' ? 'free' : 'remove');
    const kickable = this.kickable(b);
    const canKick = kickable && !this.starting;
    if (!kickable) this.picked.delete(table);
    kick.button.setDisabled(!canKick);
    show(kick.button.el, kickable);
    const giver = this.live.giverNameAt(table);
    const game = b.end ? endHeadline(b.end, b.opponent, giver) : status === 'open' ? 'Waiting' : b.turn === b.juditColor ? `${giver} to move` : 'Their move';
    return h('tr', { key: table, attrs: { 'data-table': table }, dataset: { connected: String(online) } }, [
      h('td', [
        h('input', {
          attrs: { type: 'checkbox', 'aria-label': `Select table ${table}`, 'data-testid': `pick-${table}` },
          props: { checked: this.picked.has(table), disabled: !canKick },
          on: { change: (e) => this.pick(table, (e.target as HTMLInputElement).checked) },
        }),
      ]),
      h('td.num', String(table)),
      h('td', [
        h('span.dot', { class: { online, offline: !online }, attrs: { title: online ? 'Connected' : 'Not connected' } }),
        h('span.seat-name', b.opponent),
        h('span.sr-only', online ? ' (connected)' : ' (not connected)'),
      ]),
      h('td.muted', game),
      h('td.actions', [holder(kick.button.el), h('span.inline-error', kick.error)]),
    ]);
  }

  private pick(table: number, on: boolean): void {
    if (on) this.picked.add(table);
    else this.picked.delete(table);
  }

  /** A seat's button: freeing before the start, removing (a forfeit) after it. */
  private kickFor(table: number, mode: 'free' | 'remove'): SeatKick {
    const known = this.kicks.get(table);
    if (known?.mode === mode) return known;
    const kick: SeatKick = {
      mode,
      error: '',
      button: confirmButton({
        label: mode === 'free' ? 'Free seat' : 'Remove',
        confirm: mode === 'free' ? 'Free it' : 'Remove (forfeit)',
        className: 'btn-small btn-quiet',
        testId: `kick-${table}`,
        action: () => this.kick(table, kick),
      }),
    };
    this.kicks.set(table, kick);
    return kick;
  }
}
