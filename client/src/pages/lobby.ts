/** The lobby: open and running exhibitions and recent results, a page at a time, kept live. */
import type { ExhibitionSummary } from '../../../shared/domain.js';
import type { LobbyPage } from '../../../shared/protocol.js';
import { fetchHouse } from '../api.js';
import { h, replace, show } from '../dom.js';
import { clock, engineLine, plural, seconds, strength, summaryStatusLabel } from '../format.js';
import { hostKeyOf, seatToken } from '../keyring.js';
import { listen, request, whenConnected } from '../net.js';
import { type Page, type PageContext, setTitle } from '../page.js';
import { explain } from '../problem.js';
import { paths } from '../router.js';
import { TallyView } from '../view/tally.js';
import { descriptionParts } from '../view/description.js';

const SECTIONS = [
  { key: 'open', title: 'Open — take a seat', empty: 'No exhibition is taking seats right now.' },
  { key: 'playing', title: 'Playing now', empty: 'Nothing is being played right now.' },
  { key: 'done', title: 'Finished', empty: 'No exhibition has finished yet.' },
] as const;
type SectionKey = (typeof SECTIONS)[number]['key'];

function sectionOf(x: ExhibitionSummary): SectionKey {
  if (x.status === 'open') return 'open';
  if (x.status === 'running' || x.status === 'paused') return 'playing';
  return 'done';
}

export function lobbyPage({ root }: PageContext): Page {
  setTitle(null);
  const exhibitions = new Map<string, ExhibitionSummary>();
  const notice = h('p', { class: 'notice', hidden: true, role: 'alert' });
  /** Where the next page starts; null when everything is shown. */
  let cursor: string | null = null;
  const more = h('button', { class: 'btn', type: 'button', 'data-testid': 'lobby-more' }, 'Show more');
  /** The house exhibition's card: the first thing a visitor can do is play. */
  const houseCard = h('section', { class: 'panel house-card', hidden: true, 'data-testid': 'house', 'aria-labelledby': 'house-title' });
  let houseId: string | null = null;
  const drawHouse = (x: ExhibitionSummary) => {
    houseId = x.id;
    const seated = seatToken(x.id) !== null;
    replace(
      houseCard,
      h(
        'div',
        { class: 'house-text' },
        h('h2', { id: 'house-title', class: 'house-title' }, 'Play Judit now'),
        h('p', null, engineLine(x.elo, x.thinkSeconds)),
        h(
          'p',
          { class: 'muted' },
          x.status === 'open'
            ? 'No host needed: take a seat and the exhibition starts at once. You play white.'
            : `${plural(x.seatsTaken, 'game')} under way, ${plural(x.seatsFree, 'table')} free: join in, you play white.`,
        ),
      ),
      h('a', { class: 'btn btn-primary btn-large', href: paths.play(x.id), 'data-testid': 'play-house' }, seated ? 'Back to your board' : 'Play Judit now'),
    );
    show(houseCard, true);
  };
  const loadHouse = () =>
    fetchHouse().then((reply) => {
      if (reply.ok) drawHouse(reply.value);
      else show(houseCard, false);
    });
  const lists = new Map<SectionKey, HTMLElement>();
  const sections = SECTIONS.map((s) => {
    const list = h('div', { class: 'lobby-list' });
    lists.set(s.key, list);
    return h('section', { class: 'lobby-section', 'data-section': s.key }, h('h2', { class: 'section-title' }, s.title), list);
  });

  replace(
    root,
    h(
      'div',
      { class: 'page lobby' },
      h(
        'section',
        { class: 'hero' },
        h(
          'div',
          { class: 'hero-text' },
          h('h1', null, 'One player, every board'),
          h(
            'p',
            null,
            'Judit walks from table to table and makes one move at each while her opponents think. ',
            'Take a seat against her, host your own exhibition, or watch every board at once.',
          ),
          h('p', null, h('a', { href: paths.lesson(), 'data-testid': 'lesson-link' }, 'How can one player keep up? Try the numbers in the lesson →')),
        ),
        h('a', { class: 'btn btn-large', href: paths.host() }, 'Host an exhibition'),
      ),
      houseCard,
      notice,
      sections,
      h('p', { class: 'lobby-more' }, more),
    ),
  );

  const draw = () => {
    const bySection = new Map<SectionKey, ExhibitionSummary[]>(SECTIONS.map((s) => [s.key, []]));
    for (const x of exhibitions.values()) bySection.get(sectionOf(x))!.push(x);
    for (const s of SECTIONS) {
      const items = bySection.get(s.key)!.sort((a, b) => b.createdAt - a.createdAt);
      const list = lists.get(s.key)!;
      replace(list, items.length ? items.map(card) : h('p', { class: 'empty' }, s.empty));
    }
    show(more, cursor !== null);
  };

  /** Asks for one page (the first when `after` is undefined) and adds it to what is shown. */
  const load = (after?: string) =>
    request('lobby:watch', after === undefined ? {} : { cursor: after }).then((reply) => {
      if (!reply.ok) {
        notice.hidden = false;
        notice.textContent = `The list of exhibitions could not be loaded. ${explain(reply.error)}`;
        return;
      }
      notice.hidden = true;
      if (after === undefined) exhibitions.clear();
      add(reply);
    });
  const add = (page: LobbyPage) => {
    for (const x of page.exhibitions) exhibitions.set(x.id, x);
    cursor = page.cursor;
    draw();
  };
  more.addEventListener('click', () => {
    if (cursor === null) return;
    more.disabled = true;
    void load(cursor).finally(() => (more.disabled = false));
  });

  const stopUpdates = listen('lobby:update', ({ exhibition }) => {
    exhibitions.set(exhibition.id, exhibition);
    draw();
    if (exhibition.id !== houseId) return;
    // a full or ended house has a successor by now
    if (exhibition.seatsFree === 0) void loadHouse();
    else drawHouse(exhibition);
  });
  const stopWatching = whenConnected(() => {
    void load();
    void loadHouse();
  });
  draw();

  return {
    dispose() {
      stopUpdates();
      stopWatching();
    },
  };
}

/** An exhibition whose stored record could not be read: named, and nothing to open. */
function damagedCard(x: ExhibitionSummary): HTMLElement {
  return h(
    'article',
    { class: 'card lobby-card status-damaged', 'data-id': x.id },
    h(
      'div',
      { class: 'card-main' },
      h('div', { class: 'card-head' }, h('h3', { class: 'card-title' }, x.name), h('span', { class: 'chip' }, 'Damaged')),
      h('p', { class: 'card-meta' }, 'Its stored record could not be read; the server keeps it aside.'),
    ),
  );
}

function card(x: ExhibitionSummary): HTMLElement {
  if (x.damaged) return damagedCard(x);
  const total = x.seatsTaken + x.seatsFree;
  const seats =
    x.status !== 'open'
      ? plural(x.seatsTaken, 'board')
      : x.seatsFree === 0
        ? `All ${plural(total, 'seat')} taken`
        : `${x.seatsTaken} of ${plural(total, 'seat')} taken · ${x.seatsFree} free`;
  const seated = seatToken(x.id) !== null;
  const hosting = hostKeyOf(x.id);
  const canPlay = x.seatsFree > 0;
  return h(
    'article',
    { class: `card lobby-card status-${x.status}`, 'data-id': x.id },
    h(
      'div',
      { class: 'card-main' },
      h(
        'div',
        { class: 'card-head' },
        h('h3', { class: 'card-title' }, h('a', { href: paths.watch(x.id) }, x.name)),
        h('span', { class: `chip chip-${x.stoppedAs ?? x.status}` }, summaryStatusLabel(x)),
      ),
      h('p', { class: 'card-meta' }, `Judit (Stockfish), ${strength(x.elo)} · ${seconds(x.thinkSeconds)} a move${x.clock ? ` · clocks ${clock(x.clock.initialSeconds * 1000)}+${x.clock.incrementSeconds}` : ''}`),
      x.description
        ? h(
            'p',
            { class: 'card-description', 'data-testid': 'description' },
            // text nodes and anchors made here: the host's words are never read as markup
            descriptionParts(x.description).map((part) => ('href' in part ? h('a', { href: part.href, rel: 'noopener nofollow ugc', target: '_blank' }, part.text) : part.text)),
          )
        : null,
      h(
        'p',
        { class: 'card-meta' },
        h('span', null, seats),
        x.status !== 'open' ? [h('span', { class: 'sep' }, '·'), new TallyView(x.results).el] : null,
      ),
    ),
    h(
      'div',
      { class: 'card-actions' },
      seated
        ? h('a', { class: 'btn btn-primary', href: paths.play(x.id) }, 'Your board')
        : canPlay
          ? h('a', { class: 'btn btn-primary', href: paths.play(x.id) }, 'Play')
          : null,
      h('a', { class: 'btn', href: paths.watch(x.id) }, 'Watch'),
      hosting ? h('a', { class: 'btn btn-quiet', href: paths.console(x.id, hosting) }, 'Console') : null,
    ),
  );
}
