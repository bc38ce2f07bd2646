/**
 * The lesson as a playground: sliders for the exhibition's numbers, the real exhibition core run on
 * the virtual clock in a worker, its timeline replayed at a chosen speed, the figures and the
 * crossover plot. The settings live in the URL, so a setting is shared as a link. Loaded only here.
 */
import '../styles/playground.css';
import type { SimulationResult } from '../../../server/simulate/simulate.js';
import type { LessonFigures } from '../../../shared/domain.js';
import { crossoverBoards, crossoverCaption, idealSecondsForGivers } from '../../../shared/lesson.js';
import { h, replace, setText, show } from '../dom.js';
import { clock, duration, plural } from '../format.js';
import { type Page, type PageContext, setTitle } from '../page.js';
import { Controls } from '../playground/controls.js';
import { Figures } from '../playground/figures.js';
import type { Played } from '../playground/protocol.js';
import { Replay } from '../playground/replay.js';
import { SimulationRunner } from '../playground/runner.js';
import {
  CLASSIC,
  fromQuery,
  hostQuery,
  lessonInputs,
  type PlaygroundSettings,
  SPEEDS,
  simulationParams,
  toQuery,
} from '../playground/settings.js';
import { paths } from '../router.js';
import { copyField } from '../view/copy.js';
import { CrossoverView } from '../view/crossover.js';
import { TimelineView } from '../view/timeline.js';

/** Slider moves closer together than this make one run. */
const SETTLE_MS = 120;

export function lessonPage({ root, url }: PageContext): Page {
  setTitle('The lesson, to play with');
  let settings = fromQuery(url.searchParams);
  let played: Played | null = null;
  let replay: Replay | null = null;
  let timeline: TimelineView | null = null;
  let result: SimulationResult | null = null;
  let pending = 0;
  let frame = 0;

  const figures = new Figures();
  const crossover = new CrossoverView({ measured: 'these settings, simulated' });
  const caption = h('p', { class: 'lesson-caption', 'data-testid': 'pg-caption' });
  const status = h('p', { class: 'pg-status', role: 'status', 'data-testid': 'pg-status' });
  const progress = h('progress', { class: 'pg-progress', max: 1, value: 0, 'aria-label': 'Simulated so far' });
  const hostLink = h('a', { class: 'btn btn-primary', 'data-testid': 'pg-host' }, 'Host this exhibition');
  const share = copyField('Link to these settings', '', 'pg-link');
  const shareInput = share.querySelector('input')!;
  const timelineSlot = h('div', { class: 'pg-timeline-slot' });
  const replayClock = h('span', { class: 'muted pg-replay-clock', 'data-testid': 'pg-replay-clock' });
  const speed = h(
    'select',
    { id: 'pg-speed', 'data-testid': 'pg-speed' },
    SPEEDS.map(([s, label]) => h('option', { value: s }, label)),
  );
  const again = h('button', { class: 'btn btn-small', type: 'button' }, 'Play again');
  const skip = h('button', { class: 'btn btn-small', type: 'button' }, 'Show all');
  const classic = h('button', { class: 'btn', type: 'button', 'data-testid': 'pg-classic' }, 'Classic settings');

  const runner = new SimulationRunner({
    progress(simulatedSeconds) {
      const expected = idealSecondsForGivers(lessonInputs(settings), settings.givers);
      progress.value = Math.min(0.99, simulatedSeconds / Math.max(1, expected));
      show(progress, true);
      setText(status, `Simulating… ${duration(simulatedSeconds * 1000)} of the exhibition so far.`);
    },
    done(r, exhibition) {
      result = r;
      played = exhibition;
      show(progress, false);
      setText(status, `Simulated: ${plural(r.boards, 'board')}, ${plural(r.movePairs, 'move pair')} each, on the virtual clock.`);
      figures.simulated(r);
      drawCrossover();
      startReplay(exhibition);
    },
    failed(message) {
      show(progress, false);
      setText(status, `The simulation stopped: ${message}`);
    },
  });

  const controls = new Controls(settings, (chosen) => choose({ ...chosen, speed: settings.speed }));

  function choose(next: PlaygroundSettings): void {
    settings = next;
    const href = paths.lesson(toQuery(settings));
    if (location.pathname + location.search !== href) history.replaceState(null, '', href);
    showSettings();
    window.clearTimeout(pending);
    pending = window.setTimeout(run, SETTLE_MS);
  }

  /** Everything that follows from the settings alone, at once: the link, the formula, the plot. */
  function showSettings(): void {
    hostLink.href = paths.host(hostQuery(settings));
    shareInput.value = new URL(paths.lesson(toQuery(settings)), location.href).href;
    speed.value = String(settings.speed);
    figures.formula(settings);
    result = null;
    played = null;
    drawCrossover();
  }

  function run(): void {
    setText(status, 'Simulating…');
    progress.value = 0;
    runner.run(simulationParams(settings));
  }

  /** The plot for the settings; its point is the simulated time once there is one, the formula's until then. */
  function drawCrossover(): void {
    const s = lessonInputs(settings);
    const ideal = idealSecondsForGivers(s, settings.givers);
    const lesson: LessonFigures = { ...s, givers: settings.givers, walkSeconds: settings.walkSeconds, crossoverBoards: crossoverBoards(s), idealSeconds: ideal };
    crossover.update(lesson, (result?.exhibitionSeconds ?? ideal) * 1000);
    // with several givers the longest section decides
    const k = settings.givers;
    const longest = Math.ceil(s.boards / k);
    const who = k > 1 ? 'each giver' : 'Judit';
    const side = longest > lesson.crossoverBoards ? `${who} is the bottleneck` : `${who} waits on her opponents`;
    const boards = k > 1 ? `${plural(s.boards, 'board')} in ${k} sections of at most ${longest}` : plural(s.boards, 'board');
    setText(caption, `${crossoverCaption(s)} With ${boards} ${side}.`);
  }

  function startReplay(exhibition: Played): void {
    timeline?.dispose();
    replay = new Replay(exhibition, settings.speed);
    const source = replay;
    timeline = new TimelineView(source, { mode: 'all' });
    replace(timelineSlot, timeline.el);
    source.start(performance.now());
    // no animation for a reader who asked for less motion: the whole exhibition at once
    if (window.matchMedia('(prefers-reduced-motion: reduce)').matches) source.finish();
    animate();
  }

  function animate(): void {
    cancelAnimationFrame(frame);
    const step = () => {
      frame = 0;
      if (!replay || !timeline) return;
      if (replay.advance(performance.now())) timeline.touch();
      setText(replayClock, `${clock(replay.elapsedMs)} of ${clock(replay.totalMs)}`);
      if (!replay.done) frame = requestAnimationFrame(step);
    };
    frame = requestAnimationFrame(step);
  }

  speed.addEventListener('change', () => {
    settings = { ...settings, speed: Number(speed.value) };
    history.replaceState(null, '', paths.lesson(toQuery(settings)));
    shareInput.value = new URL(paths.lesson(toQuery(settings)), location.href).href;
    replay?.setSpeed(performance.now(), settings.speed);
  });
  again.addEventListener('click', () => {
    if (played) startReplay(played);
  });
  skip.addEventListener('click', () => {
    replay?.finish();
    timeline?.touch();
  });
  classic.addEventListener('click', () => {
    controls.set(CLASSIC);
    choose({ ...CLASSIC, speed: settings.speed });
  });

  replace(
    root,
    h(
      'div',
      { class: 'page pg' },
      h(
        'header',
        { class: 'page-head' },
        h('h1', null, 'The lesson, to play with'),
        h(
          'p',
          { class: 'lede' },
          'Move a slider and the exhibition is played again in your browser: the same exhibition core, Judit and clock as the server’s, with every opponent answering on time, hours of play in a moment. ',
          'Then watch it: Judit’s timeline, one hour in ten seconds.',
        ),
      ),
      h(
        'div',
        { class: 'pg-layout' },
        h(
          'section',
          { class: 'panel pg-settings', 'aria-label': 'Settings' },
          h('h2', { class: 'panel-title' }, 'The exhibition'),
          controls.el,
          h('div', { class: 'button-row pg-actions' }, hostLink, classic),
          share,
        ),
        h('div', { class: 'pg-results' }, figures.el, h('div', { class: 'pg-run' }, progress, status)),
      ),
      h(
        'section',
        { class: 'panel pg-part', 'aria-label': 'Judit’s timeline' },
        h(
          'div',
          { class: 'pg-part-head' },
          h('h2', { class: 'panel-title' }, 'Judit’s timeline'),
          h('div', { class: 'button-row' }, h('label', { for: 'pg-speed', class: 'muted' }, 'Replay'), speed, again, skip, replayClock),
        ),
        timelineSlot,
      ),
      h(
        'section',
        { class: 'panel pg-part', 'aria-label': 'The crossover' },
        h('h2', { class: 'panel-title' }, 'Exhibition time against the number of boards'),
        crossover.el,
        caption,
      ),
    ),
  );
  show(progress, false);
  showSettings();
  run();

  return {
    /** Back or forward to other settings of the playground. */
    update(next) {
      const s = fromQuery(next.searchParams);
      controls.set(s);
      choose(s);
    },
    dispose() {
      window.clearTimeout(pending);
      cancelAnimationFrame(frame);
      runner.dispose();
      timeline?.dispose();
      crossover.dispose();
    },
  };
}
