/**
 * The lesson, visible: Judit's timeline, the crossover plot, and this exhibition's figures in the
 * lesson's terms with a caption in plain words. Shown on the spectator's page and the host's
 * console. The figures are the server's (stats.lesson, through shared/lesson.ts); the timeline is
 * the server's move times, fetched once and then followed move by move.
 */
import type { LessonFigures } from '../../../shared/domain.js';
import { crossoverCaption } from '../../../shared/lesson.js';
import { h, setText } from '../dom.js';
import { decimal, duration, plural, seconds } from '../format.js';
import { Lanes } from '../lanes.js';
import type { LiveExhibition } from '../live.js';
import { request, whenConnected } from '../net.js';
import { paths } from '../router.js';
import { playingMs, serverNow } from '../servertime.js';
import { CrossoverView } from './crossover.js';
import { TimelineView } from './timeline.js';

/** Narrow screens get the lesson folded: the boards come first there. */
const NARROW = '(max-width: 720px)';

export class LessonPanel {
  readonly el: HTMLDetailsElement;
  private readonly lanes = new Lanes();
  private readonly timeline: TimelineView;
  private readonly crossover = new CrossoverView();
  private readonly caption = h('p', { class: 'lesson-caption', 'data-testid': 'lesson-caption' });
  private readonly playground = h('a', { href: paths.lesson(), 'data-testid': 'lesson-link' }, 'Try other numbers in the lesson →');
  private readonly figures = {
    crossover: h('dd', { 'data-lesson': 'crossover' }),
    judit: h('dd', { 'data-lesson': 'judit' }),
    opponent: h('dd', { 'data-lesson': 'opponent' }),
    pairs: h('dd', { 'data-lesson': 'pairs' }),
    ideal: h('dd', { 'data-lesson': 'ideal' }),
    measured: h('dd', { 'data-lesson': 'measured' }),
  };
  private readonly stopLive: () => void;
  private readonly stopConnected: () => void;
  private readonly timer: number;
  /** A timeline request on its way: moves that find a gap wait for it. */
  private loading = false;

  constructor(private readonly live: LiveExhibition) {
    this.timeline = new TimelineView({
      lanes: this.lanes,
      boards: () => live.boardList(),
      judit: () => live.snapshot.judit,
      now: () => this.now(),
      running: () => live.status === 'running',
    });
    const figure = (label: string, value: HTMLElement, hint: string) => h('div', { class: 'stat', title: hint }, h('dt', null, label), value);
    const f = this.figures;
    this.el = h(
      'details',
      { class: 'panel lesson', 'data-testid': 'lesson' },
      h('summary', { class: 'lesson-summary' }, h('span', { class: 'panel-title' }, 'The lesson'), h('span', { class: 'muted' }, 'Judit’s timeline and the crossover')),
      h('section', { class: 'lesson-part', 'aria-label': 'Judit’s timeline' }, h('h3', { class: 'lesson-title' }, 'Judit’s timeline'), this.timeline.el),
      h(
        'section',
        { class: 'lesson-part lesson-crossover', 'aria-label': 'The crossover' },
        h('div', { class: 'lesson-plot' }, h('h3', { class: 'lesson-title' }, 'Exhibition time against the number of boards'), this.crossover.el),
        h(
          'div',
          { class: 'lesson-side' },
          h(
            'dl',
            { class: 'stat-grid lesson-figures' },
            figure('Crossover N*', f.crossover, 'N* = (j + o) / j: above this many boards Judit is the bottleneck'),
            figure('Judit a move (j)', f.judit, 'Judit’s think time per move'),
            figure('Opponents a move (o)', f.opponent, 'The opponents’ measured average per move'),
            figure('Move pairs so far (M)', f.pairs, 'Moves played per board so far, in pairs'),
            figure('The formula says', f.ideal, 'T = (M−1)·max(N·j, j+o) + N·j + o for the moves played'),
            figure('It took', f.measured, 'Playing time so far, pauses excluded'),
          ),
          this.caption,
          h('p', { class: 'hint' }, this.playground),
        ),
      ),
    );
    this.el.open = !window.matchMedia(NARROW).matches;
    this.el.addEventListener('toggle', () => {
      this.timeline.redraw();
      this.crossover.redraw();
    });

    this.stopLive = live.on((change) => {
      switch (change.kind) {
        case 'move':
          if (!this.lanes.add(change.table, change.move)) this.load();
          this.timeline.touch();
          return;
        case 'board':
        case 'judit':
        case 'seat':
          this.timeline.touch();
          return;
        case 'status':
          if (live.snapshot.startedAt !== null) this.lanes.start(live.snapshot.startedAt);
          this.timeline.touch();
          this.render();
          return;
        case 'stats':
        case 'config':
          this.render();
          return;
        case 'snapshot':
          // a reconnection: moves may have been missed
          this.load();
          this.render();
          return;
        case 'spectators':
        case 'drawDeclined':
        case 'seats':
          return;
        default: {
          const unhandled: never = change;
          return unhandled;
        }
      }
    });
    this.stopConnected = whenConnected(() => this.load());
    this.timer = window.setInterval(() => {
      if (live.status === 'running') this.render();
    }, 1000);
    this.render();
  }

  dispose(): void {
    this.stopLive();
    this.stopConnected();
    window.clearInterval(this.timer);
    this.timeline.dispose();
    this.crossover.dispose();
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
    void request('timeline:watch', { id: this.live.id }).then((reply) => {
      this.loading = false;
      if (!reply.ok) return; // the banner tells of a lost connection; the next one loads again
      this.lanes.load(reply.timeline);
      this.timeline.touch();
    });
  }

  private render(): void {
    const s = this.live.snapshot;
    const l = s.stats.lesson;
    const elapsed = playingMs(s.stats, s.status);
    this.crossover.update(l, elapsed);
    const f = this.figures;
    setText(f.judit, seconds(l?.juditSeconds ?? s.config.thinkSeconds));
    setText(f.crossover, l ? decimal(l.crossoverBoards) : '—');
    setText(f.opponent, l ? `${l.opponentSeconds.toFixed(1)} s` : '—');
    setText(f.pairs, l ? l.movePairs.toFixed(1) : '—');
    setText(f.ideal, l ? duration(l.idealSeconds * 1000) : '—');
    setText(f.measured, s.startedAt === null ? '—' : duration(elapsed));
    setText(this.caption, caption(l, elapsed, s.status === 'finished' || s.status === 'aborted'));
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
    this.playground.href = paths.lesson(`?${query.toString()}`);
  }
}

/** The crossover in words, and where this exhibition stands. */
function caption(l: LessonFigures | null, elapsedMs: number, over: boolean): string {
  if (!l) {
    return 'Once an opponent has moved, the plot shows how long an exhibition with these think times takes for any number of boards, and where this one stands.';
  }
  const side =
    l.boards > l.crossoverBoards
      ? `With ${plural(l.boards, 'board')} Judit is the bottleneck here.`
      : `With ${plural(l.boards, 'board')} Judit waits on her opponents here.`;
  const took = over ? `took ${duration(elapsedMs)}` : `${duration(elapsedMs)} so far`;
  return `${crossoverCaption(l)} ${side} This exhibition: ${plural(l.boards, 'board')}, ${took}; the formula says ${duration(l.idealSeconds * 1000)} for the moves played.`;
}
