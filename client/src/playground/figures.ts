/**
 * The playground's figures: one game after another against table to table (as simulated) and the
 * formula's ideal, the speed-up and Judit's busy share. The formula's figures follow the sliders at
 * once; the simulated ones come when the simulator has run.
 */
import type { SimulationResult } from '../../../server/simulate/simulate.js';
import { crossoverBoards, idealSecondsForGivers, sequentialSeconds } from '../../../shared/lesson.js';
import { h, setText, toggle } from '../dom.js';
import { decimal, duration } from '../format.js';
import { type ExhibitionSettings, lessonInputs } from './settings.js';

/** 43200 → "43,200 s": the simulator's own figures, as `npm run simulate` prints them. */
export function secondsText(s: number): string {
  return `${s.toLocaleString('en-US', { maximumFractionDigits: 1 })} s`;
}

export function speedupText(x: number): string {
  return `${x.toFixed(2)}×`;
}

export function busyText(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

type Key = 'sequential' | 'exhibition' | 'ideal' | 'speedup' | 'busy' | 'crossover';

export class Figures {
  readonly el: HTMLElement;
  private readonly values = {} as Record<Key, { words: HTMLElement; seconds: HTMLElement }>;
  private readonly bars = {} as Record<'sequential' | 'exhibition' | 'ideal', HTMLElement>;

  constructor() {
    const figure = (key: Key, label: string, hint: string) => {
      const words = h('span', { class: 'pg-words' });
      const seconds = h('span', { class: 'pg-seconds', 'data-testid': `figure-${key}` });
      this.values[key] = { words, seconds };
      return h('div', { class: `stat pg-figure pg-${key}`, title: hint }, h('dt', null, label), h('dd', { 'data-figure': key }, words, seconds));
    };
    const bar = (key: 'sequential' | 'exhibition' | 'ideal', label: string) => {
      this.bars[key] = h('span', { class: `bar-fill ${key}` });
      return h('div', { class: 'bar' }, h('span', { class: 'bar-label' }, label), h('span', { class: 'bar-track' }, this.bars[key]));
    };
    this.el = h(
      'section',
      { class: 'panel pg-figures', 'aria-label': 'The figures', 'aria-live': 'polite' },
      h('h2', { class: 'panel-title' }, 'How long it takes'),
      h(
        'dl',
        { class: 'stat-grid' },
        figure('sequential', 'One after another', 'Both sides’ thinking over every board, the games played in turn: N·M·(j+o)'),
        figure('exhibition', 'Table to table, simulated', 'The exhibition core on the virtual clock'),
        figure('ideal', 'The formula’s ideal', 'T = (M−1)·max(N·(j+w), j+o) + N·(j+w) + o, for the moves played'),
        figure('speedup', 'Speed-up', 'One after another ÷ table to table'),
        figure('busy', 'Judit busy', 'Her share of the exhibition spent thinking'),
        figure('crossover', 'Crossover N*', 'N* = (j+o)/(j+w): above this many boards Judit is the bottleneck'),
      ),
      h('div', { class: 'bars', 'aria-hidden': 'true' }, bar('sequential', 'One after another'), bar('exhibition', 'Table to table'), bar('ideal', 'The ideal')),
    );
  }

  /** The formula's figures for settings just chosen; the simulated ones wait for the simulator. */
  formula(settings: ExhibitionSettings): void {
    const s = lessonInputs(settings);
    this.show('sequential', sequentialSeconds(s));
    this.show('ideal', idealSecondsForGivers(s, settings.givers));
    this.text('crossover', decimal(crossoverBoards(s)), '');
    toggle(this.el, 'pg-stale', true);
  }

  /** The simulator's figures. */
  simulated(r: SimulationResult): void {
    this.show('sequential', r.sequentialSeconds);
    this.show('exhibition', r.exhibitionSeconds);
    this.show('ideal', r.idealSeconds);
    this.text('speedup', speedupText(r.speedup), '');
    this.text('busy', busyText(r.juditUtilisation), '');
    const longest = Math.max(r.sequentialSeconds, r.exhibitionSeconds, r.idealSeconds, 1);
    for (const [key, s] of [['sequential', r.sequentialSeconds], ['exhibition', r.exhibitionSeconds], ['ideal', r.idealSeconds]] as const) {
      this.bars[key].style.transform = `scaleX(${(s / longest).toFixed(4)})`;
    }
    toggle(this.el, 'pg-stale', false);
  }

  private show(key: Key, seconds: number): void {
    this.text(key, duration(seconds * 1000), secondsText(seconds));
  }

  private text(key: Key, words: string, seconds: string): void {
    setText(this.values[key].words, words);
    setText(this.values[key].seconds, seconds);
  }
}
