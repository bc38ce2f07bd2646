/**
 * The lesson, visible: Judit's timeline, the crossover plot, and this exhibition's figures in the
 * lesson's terms with a caption in plain words. Shown on the spectator's page and the host's
 * console. The figures are the server's (stats.lesson, through shared/lesson.ts); the timeline is
 * the server's move times, fetched once and then followed move by move (the live exhibition keeps
 * them); the canvases are drawn by their own views, the rest is part of the page's view.
 */
import type { LessonFigures } from '../../../shared/domain.js';
import { crossoverCaption, fourWays, WAY_NAMES } from '../../../shared/lesson.js';
import { decimal, duration, plural, seconds } from '../format.js';
import type { LiveExhibition } from '../live.js';
import { paths } from '../router.js';
import { playingMs, serverNow } from '../servertime.js';
import { h, holder, type VNode } from '../vdom.js';
import { CrossoverView } from './crossover.js';
import { TimelineView } from './timeline.js';

/** Narrow screens get the lesson folded: the boards come first there. */
const NARROW = '(max-width: 720px)';

export class LessonPanel {
  private readonly timeline: TimelineView;
  private readonly crossover = new CrossoverView();
  /** What the crossover plot was last given: it draws again only when that changes. */
  private plotted = '';
  private plottedLesson: LessonFigures | null = null;
  private readonly stopLive: () => void;
  private readonly stopConnected: () => void;
  /** A timeline request on its way: moves that find a gap wait for it. */
  private loading = false;

  constructor(private readonly live: LiveExhibition) {
    this.timeline = new TimelineView({
      lanes: live.keepLanes(),
      boards: () => live.boardList(),
      judit: () => live.snapshot.givers[0],
      givers: () => live.snapshot.givers,
      giverOf: (table) => live.giverOf(table),
      now: () => this.now(),
      running: () => live.status === 'running',
    });
    // the canvas follows the exhibition at its own pace; a gap in the moves loads them all again
    this.stopLive = live.on(() => {
      if (live.lanesStale) this.load();
      this.timeline.touch();
    });
    this.stopConnected = live.link.whenConnected(() => this.load());
  }

  dispose(): void {
    this.stopLive();
    this.stopConnected();
    this.timeline.dispose();
    this.crossover.dispose();
  }

  view(): VNode {
    const s = this.live.snapshot;
    const l = s.stats.lesson;
    const elapsed = playingMs(s.stats, s.status);
    const plotted = String(Math.round(elapsed / 1000));
    if (l !== this.plottedLesson || plotted !== this.plotted) {
      this.plottedLesson = l;
      this.plotted = plotted;
      this.crossover.update(l, elapsed);
    }
    const figure = (label: string, key: string, value: string, hint: string) =>
      h('div.stat', { attrs: { title: hint } }, [h('dt', label), h('dd', { attrs: { 'data-lesson': key } }, value)]);
    // the playground opens on this exhibition's numbers
    const c = s.config;
    const query = new URLSearchParams({
      boards: String(c.boards),
      judit: String(c.thinkSeconds),
      walk: String(c.walkSeconds),
      patience: String(c.patienceSeconds),
      order: c.order,
    });
    if (l) query.set('opponent', String(Math.round(l.opponentSeconds)));
    return h(
      'details.panel.lesson',
      {
        attrs: { 'data-testid': 'lesson' },
        hook: { insert: (vnode) => ((vnode.elm as HTMLDetailsElement).open = !window.matchMedia(NARROW).matches) },
        on: { toggle: () => this.unfolded() },
      },
      [
        h('summary.lesson-summary', [h('span.panel-title', 'The lesson'), h('span.muted', 'Judit’s timeline and the crossover')]),
        h('section.lesson-part', { attrs: { 'aria-label': 'Judit’s timeline' } }, [h('h3.lesson-title', 'Judit’s timeline'), holder(this.timeline.el)]),
        h('section.lesson-part.lesson-crossover', { attrs: { 'aria-label': 'The crossover' } }, [
          h('div.lesson-plot', [h('h3.lesson-title', 'Exhibition time against the number of boards'), holder(this.crossover.el)]),
          h('div.lesson-side', [
            h('dl.stat-grid.lesson-figures', [
              figure('Crossover N*', 'crossover', l ? decimal(l.crossoverBoards) : '—', 'N* = (j + o) / j: above this many boards Judit is the bottleneck'),
              figure('Judit a move (j)', 'judit', seconds(l?.juditSeconds ?? c.thinkSeconds), 'Judit’s think time per move'),
              figure('Opponents a move (o)', 'opponent', l ? `${l.opponentSeconds.toFixed(1)} s` : '—', 'The opponents’ measured average per move'),
              figure('Move pairs so far (M)', 'pairs', l ? l.movePairs.toFixed(1) : '—', 'Moves played per board so far, in pairs'),
              figure('The formula says', 'ideal', l ? duration(l.idealSeconds * 1000) : '—', 'T = (M−1)·max(N·j, j+o) + N·j + o for the moves played'),
              figure('It took', 'measured', s.startedAt === null ? '—' : duration(elapsed), 'Playing time so far, pauses excluded'),
            ]),
            h('p.lesson-caption', { attrs: { 'data-testid': 'lesson-caption' } }, caption(l, elapsed, s.status === 'finished' || s.status === 'aborted')),
            l ? waysTable(l, c.givers > 1 ? c.givers : 2) : null,
            c.clock ? h('p.lesson-caption', { attrs: { 'data-testid': 'lesson-clocks' } }, clockCaption(this.live, l)) : null,
            h('p.hint', [h('a', { attrs: { href: paths.lesson(`?${query.toString()}`), 'data-testid': 'lesson-link' } }, 'Try other numbers in the lesson →')]),
          ]),
        ]),
      ],
    );
  }

  /** Opened or folded: the canvases measure themselves again. */
  private unfolded(): void {
    this.timeline.redraw();
    this.crossover.redraw();
  }

  /** Where time stands: the server's now while playing, the moment play stopped otherwise. */
  private now(): number {
    const s = this.live.snapshot;
    if (s.status === 'running' || s.status === 'open') return serverNow();
    if (s.finishedAt !== null) return s.finishedAt;
    return this.live.statusAt ?? s.stats.now;
  }

  /** Every move so far: on opening, after a reconnection, after a gap. */
  private load(): void {
    if (this.loading) return;
    this.loading = true;
    this.live.lanesStale = false;
    void this.live.link.request('timeline:watch', { id: this.live.id }).then((reply) => {
      this.loading = false;
      if (!reply.ok) return; // the banner tells of a lost connection; the next one loads again
      this.live.keepLanes().load(reply.timeline);
      this.timeline.touch();
    });
  }
}

/**
 * The same games four ways, by the formulas on this exhibition's numbers: one after another, one
 * giver table to table, k givers at once each table to table, and k givers each one game after another.
 */
function waysTable(l: LessonFigures, givers: number): VNode {
  const rows = fourWays(l, givers).map((w) =>
    h('tr', { attrs: { 'data-way': w.kind } }, [
      h('th', w.givers > 1 ? `${w.givers} ${WAY_NAMES[w.kind]}` : WAY_NAMES[w.kind]),
      h('td', duration(w.seconds * 1000)),
      h('td', `${decimal(w.speedup)}×`),
      h('td', w.busy.map((b) => `${Math.round(b * 100)} %`).join(' · ')),
    ]),
  );
  return h('table.lesson-ways', { attrs: { 'data-testid': 'lesson-ways' } }, [
    h('caption', `The same ${plural(l.boards, 'game')} four ways, by the formula`),
    h('thead', h('tr', [h('th', ''), h('th', 'time'), h('th', 'speed-up'), h('th', 'each giver busy')])),
    h('tbody', rows),
  ]);
}

/** The crossover in words, and where this exhibition stands. */
function caption(l: LessonFigures | null, elapsedMs: number, over: boolean): string {
  if (!l) {
    return 'Once an opponent has moved, the plot shows how long an exhibition with these think times takes for any number of boards, and where this one stands.';
  }
  // with several givers each section is an exhibition of its own: the longest one decides
  const longest = Math.ceil(l.boards / l.givers);
  const boards = l.givers > 1 ? `${plural(l.boards, 'board')} in ${l.givers} sections of at most ${longest}` : plural(l.boards, 'board');
  const who = l.givers > 1 ? 'each giver' : 'Judit';
  const side = longest > l.crossoverBoards ? `With ${boards} ${who} is the bottleneck here.` : `With ${boards} ${who} waits on her opponents here.`;
  const took = over ? `took ${duration(elapsedMs)}` : `${duration(elapsedMs)} so far`;
  return `${crossoverCaption(l)} ${side} This exhibition: ${plural(l.boards, 'board')}, ${took}; the formula says ${duration(l.idealSeconds * 1000)} for the moves played.`;
}

/**
 * A clock simul in words: on the board where her clock has run longest, how much of it she spent
 * thinking there. The rest went by while she was at the other tables: her clocks drain in parallel.
 */
function clockCaption(live: LiveExhibition, l: LessonFigures | null): string {
  const clock = live.config.clock!;
  let busiest: { table: number; used: number; thought: number } | null = null;
  for (const b of live.boardList()) {
    const left = live.clockLeft(b, 'judit');
    if (left === null) continue;
    // her moves there: the first, third… when she has white, the second, fourth… when black
    const moves = b.juditColor === 'white' ? Math.ceil(b.ply / 2) : Math.floor(b.ply / 2);
    const used = (clock.initialSeconds + clock.giverExtraSeconds + moves * clock.incrementSeconds) * 1000 - left;
    if (!busiest || used > busiest.used) busiest = { table: b.table, used, thought: moves * live.config.thinkSeconds * 1000 };
  }
  const runs = 'Her clock on each board runs whenever it is her move there, also while she is at the other tables';
  // each round her clock on a board runs her whole round, or one opponent's cycle, less that opponent's move
  const times = l ? (Math.max(l.boards * l.juditSeconds, l.juditSeconds + l.opponentSeconds) - l.opponentSeconds) / l.juditSeconds : null;
  const general = times === null ? `${runs}.` : `${runs}: at this pace a game costs her clock about ${decimal(times)} times her own thinking in it.`;
  if (!busiest || busiest.used < 1000) return general;
  return `At table ${busiest.table} her clock has run ${duration(busiest.used)}, though she thought there about ${duration(busiest.thought)}. ${general}`;
}
