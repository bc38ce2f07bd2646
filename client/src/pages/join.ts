/** Taking a seat: a name, and the exhibition's terms at a glance. */
import type { JuditColorSetting } from '../../../shared/config.js';
import type { Color } from '../../../shared/domain.js';
import type { ExhibitionSnapshot, SeatGranted } from '../../../shared/protocol.js';
import { playerNameSchema } from '../../../shared/schemas.js';
import { fetchExhibition } from '../api.js';
import { h, replace, setText } from '../dom.js';
import { clock, engineLine, plural, seconds, statusLabel } from '../format.js';
import { keepName, lastName } from '../keyring.js';
import { listen, request, whenConnected } from '../net.js';
import { setTitle } from '../page.js';
import { explain } from '../problem.js';
import { messagePage } from './message.js';
import { paths } from '../router.js';

export interface JoinOptions {
  id: string;
  /** Said above the form (a seat that could not be reclaimed). */
  note?: string;
  onSeated: (granted: SeatGranted) => void;
}

/**
 * Draws the join form into `root` and keeps it true as seats are taken and the exhibition starts;
 * calls `onSeated` once a seat is granted. Returns the function that stops following it.
 */
export function showJoin(root: HTMLElement, options: JoinOptions): () => void {
  const { id } = options;
  let stopped = false;
  /** What the form offers now: redrawn only when that changes, so a name being typed stays. */
  let shown = '';
  /** The request this visitor made for a seat, while the host has not answered it. */
  let asking: string | null = null;
  replace(root, h('div', { class: 'page loading' }, h('p', null, 'Loading the exhibition…')));
  const load = () =>
    void fetchExhibition(id).then((reply) => {
      if (stopped) return;
      if (!reply.ok) {
        messagePage(root, {
          title: reply.error.code === 'NOT_FOUND' ? 'No such exhibition' : 'The exhibition could not be loaded',
          text: explain(reply.error),
          links: [{ href: paths.lobby(), label: 'Go to the lobby' }],
        });
        return;
      }
      const x = reply.value;
      const state = `${x.status}|${x.boards.length}|${x.config.boards}`;
      if (state === shown || asking !== null) return;
      const field = root.querySelector<HTMLInputElement>('#player-name');
      draw(root, x, options, { focus: shown === '' || document.activeElement === field, typed: field?.value, watch, unwatch, asked: (c) => (asking = c) });
      shown = state;
    });
  // followed as a spectator until a seat is taken; the seat then brings the exhibition's news
  let watching = false;
  const watch = () => {
    watching = true;
    void request('exhibition:watch', { id });
  };
  const unwatch = () => {
    if (!watching) return;
    watching = false;
    void request('exhibition:unwatch', { id }); // sent before seat:take, so the seat's room stays joined
  };
  const mine = (msg: { id: string }) => msg.id === id;
  const stops = [
    whenConnected(() => {
      watch();
      load();
    }),
    listen('exhibition:status', (msg) => mine(msg) && load()),
    listen('seat:update', (msg) => mine(msg) && load()),
    listen('candidate:answer', (msg) => {
      if (!mine(msg) || msg.candidate !== asking) return;
      asking = null;
      if (!msg.accepted) {
        shown = '';
        options.note = 'The host declined your request for a seat.';
        return load();
      }
      void request('seat:claim', { id, token: msg.token }).then((reply) => {
        if (reply.ok) return options.onSeated(reply);
        shown = '';
        options.note = `The host accepted you, but the seat could not be taken: ${explain(reply.error)}`;
        load();
      });
    }),
  ];
  return () => {
    stopped = true;
    for (const stop of stops) stop();
    unwatch();
  };
}

interface DrawOptions {
  focus: boolean;
  /** The name being typed when the form is drawn again. */
  typed?: string;
  watch: () => void;
  unwatch: () => void;
  /** A request for a seat went to the host: the page waits for the answer. */
  asked: (candidate: string) => void;
}

function draw(root: HTMLElement, x: ExhibitionSnapshot, options: JoinOptions, { focus, typed, watch, unwatch, asked }: DrawOptions): void {
  setTitle(`Play in ${x.config.name}`);
  const c = x.config;
  const taken = x.boards.length;
  const free = c.boards - taken;
  const color = colorTerms(c.juditColor);
  const terms = h(
    'ul',
    { class: 'terms' },
    h('li', null, `${color}.`),
    h('li', null, engineLine(c.elo, c.thinkSeconds)),
    h('li', null, c.opponentMoveLimitSeconds === null ? 'No time limit for your moves.' : `You have ${seconds(c.opponentMoveLimitSeconds)} for each move.`),
    c.clock
      ? h('li', null, `Clocks: ${clock(c.clock.initialSeconds * 1000)} each + ${c.clock.incrementSeconds} s a move; Judit has ${clock((c.clock.initialSeconds + c.clock.giverExtraSeconds) * 1000)} on every board. A fallen flag loses the game.`)
      : null,
    h('li', null, `${taken} of ${plural(c.boards, 'seat')} taken.`),
    c.approval ? h('li', null, 'The host accepts each player: ask to join, and wait for the answer here.') : null,
  );

  const seating = x.status === 'open' || (c.lateJoin && (x.status === 'running' || x.status === 'paused'));
  const open = seating && free > 0;
  const error = h('p', { class: 'field-error', id: 'name-error', role: 'alert' });
  const input = h('input', {
    id: 'player-name',
    name: 'name',
    type: 'text',
    autocomplete: 'nickname',
    placeholder: 'Your name',
    value: typed ?? lastName(),
    'aria-describedby': 'name-error',
    required: true,
  });
  const label = c.approval ? 'Ask to join' : 'Take a seat';
  const submit = h('button', { class: 'btn btn-primary btn-large', type: 'submit' }, label);
  // when the players choose, each picks here; Judit takes the other colour
  const pick = h(
    'select',
    { id: 'player-color', name: 'color', 'data-testid': 'color' },
    h('option', { value: 'white' }, 'White'),
    h('option', { value: 'black' }, 'Black'),
  );
  const form = h(
    'form',
    { class: 'join-form', novalidate: true },
    h('label', { for: 'player-name' }, 'Your name', h('span', { class: 'muted' }, ' (at most 40 characters)')),
    h('div', { class: 'join-row' }, input, submit),
    c.juditColor === 'choose' ? h('p', { class: 'join-color' }, h('label', { for: 'player-color' }, 'You play '), pick) : null,
    error,
  );
  let sending = false;
  input.addEventListener('input', () => setText(error, ''));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (sending) return;
    const name = playerNameSchema.safeParse(input.value);
    if (!name.success) {
      setText(error, name.error.issues[0]?.message ?? 'Check your name.');
      input.focus();
      return;
    }
    sending = true;
    submit.disabled = true;
    const color: Color | undefined = c.juditColor === 'choose' ? (pick.value === 'black' ? 'black' : 'white') : undefined;
    const payload = { id: x.id, name: name.data, ...(color ? { color } : {}) };
    if (c.approval) {
      setText(submit, 'Asking…');
      void request('seat:request', payload).then((reply) => {
        sending = false;
        submit.disabled = false;
        setText(submit, label);
        if (!reply.ok) return setText(error, explain(reply.error));
        keepName(name.data);
        asked(reply.candidate);
        form.replaceWith(h('p', { class: 'notice', role: 'status', 'data-testid': 'candidate' }, `Waiting for the host to accept you, ${name.data}…`));
      });
      return;
    }
    setText(submit, 'Taking a seat…');
    unwatch();
    void request('seat:take', payload).then((reply) => {
      sending = false;
      submit.disabled = false;
      setText(submit, label);
      if (!reply.ok) {
        watch();
        setText(error, explain(reply.error));
        return;
      }
      keepName(name.data);
      options.onSeated(reply);
    });
  });

  const closed =
    seating
      ? 'Every seat is taken.'
      : x.status === 'running' || x.status === 'paused'
        ? 'This exhibition has started: seats are closed.'
        : 'This exhibition is over.';

  replace(
    root,
    h(
      'div',
      { class: 'page join' },
      h(
        'section',
        { class: 'panel join-panel' },
        h('p', { class: 'eyebrow' }, h('span', { class: `chip chip-${x.status}` }, statusLabel[x.status])),
        h('h1', null, x.config.name),
        options.note ? h('p', { class: 'notice', role: 'status' }, options.note) : null,
        terms,
        open ? form : h('p', { class: 'notice' }, closed),
        h('p', { class: 'join-watch' }, h('a', { href: paths.watch(x.id) }, open ? 'Or just watch the boards' : 'Watch the boards')),
      ),
    ),
  );
  if (open && focus) input.focus();
}

/** Who plays which colour, in the words of the terms. */
function colorTerms(setting: JuditColorSetting): string {
  switch (setting) {
    case 'white':
    case 'black':
      return `Judit plays ${setting}, you play ${setting === 'white' ? 'black' : 'white'}`;
    case 'alternate':
      return 'Judit plays white on odd tables, black on even ones';
    case 'choose':
      return 'You choose your colour; Judit plays the other';
    case 'random':
      return 'Your colour is drawn at random when you sit down';
  }
}
