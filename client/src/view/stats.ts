/**
 * The lesson in numbers: how long it has run, how busy Judit is, and how much sooner table to
 * table finishes than one game after another. Every figure is the server's; only the running
 * clocks tick here between updates.
 */
import type { ExhibitionSnapshot } from '../../../shared/protocol.js';
import { h, setText } from '../dom.js';
import { clock, percent, speedup } from '../format.js';
import { playingMs, serverNow } from '../servertime.js';

export class StatsPanel {
  private readonly elapsed = h('dd', { 'data-stat': 'elapsed' });
  private readonly busy = h('dd', { 'data-stat': 'busy' });
  private readonly sequential = h('dd', { 'data-stat': 'sequential' });
  private readonly actual = h('dd', { 'data-stat': 'actual' });
  private readonly speed = h('dd', { 'data-stat': 'speedup' });
  private readonly moves = h('dd', { 'data-stat': 'moves' });
  private readonly average = h('dd', { 'data-stat': 'average' });
  private readonly late = h('dd', { 'data-stat': 'engine-late' });
  private readonly sequentialBar = h('span', { class: 'bar-fill sequential' });
  private readonly actualBar = h('span', { class: 'bar-fill actual' });
  readonly el: HTMLElement;
  private snapshot: ExhibitionSnapshot | null = null;
  private readonly timer: number;

  constructor() {
    const figure = (label: string, value: HTMLElement, hint: string) =>
      h('div', { class: 'stat', title: hint }, h('dt', null, label), value);
    this.el = h(
      'section',
      { class: 'panel stats', 'aria-label': 'Statistics' },
      h('h2', { class: 'panel-title' }, 'Statistics'),
      h(
        'dl',
        { class: 'stat-grid' },
        figure('Elapsed', this.elapsed, 'Time since the start, pauses included'),
        figure('Judit busy', this.busy, 'Share of the playing time Judit spent thinking'),
        figure('One after another', this.sequential, 'Both sides’ thinking summed over every board: the games played one after another'),
        figure('Actual time', this.actual, 'Playing time table to table, pauses excluded'),
        figure('Speed-up', this.speed, 'One after another ÷ actual time'),
        figure('Moves', this.moves, 'Moves played on every board'),
        figure('Opponent move', this.average, 'Average time an opponent took for a move'),
        figure('Hurried moves', this.late, 'Judit’s moves cut short at her think time because the server’s engines were all busy'),
      ),
      h(
        'div',
        { class: 'bars', 'aria-hidden': 'true' },
        h('div', { class: 'bar' }, h('span', { class: 'bar-label' }, 'One after another'), h('span', { class: 'bar-track' }, this.sequentialBar)),
        h('div', { class: 'bar' }, h('span', { class: 'bar-label' }, 'Table to table'), h('span', { class: 'bar-track' }, this.actualBar)),
      ),
    );
    this.timer = window.setInterval(() => this.render(), 1000);
  }

  update(snapshot: ExhibitionSnapshot): void {
    this.snapshot = snapshot;
    this.render();
  }

  dispose(): void {
    window.clearInterval(this.timer);
  }

  private render(): void {
    const s = this.snapshot;
    if (!s) return;
    const stats = s.stats;
    const now = serverNow();
    const wall = s.startedAt === null ? null : (s.finishedAt ?? now) - s.startedAt;
    const actualMs = playingMs(stats, s.status, now);
    setText(this.elapsed, wall === null ? 'not started' : clock(wall));
    setText(this.busy, s.startedAt === null ? '—' : percent(stats.juditUtilisation));
    setText(this.sequential, clock(stats.sequentialMs));
    setText(this.actual, clock(actualMs));
    setText(this.speed, speedup(stats.speedup));
    setText(this.moves, String(stats.movesPlayed));
    setText(this.average, stats.opponentAvgMs === null ? '—' : `${(stats.opponentAvgMs / 1000).toFixed(1)} s`);
    setText(this.late, String(stats.engineLateMoves));
    const longest = Math.max(stats.sequentialMs, actualMs, 1);
    this.sequentialBar.style.transform = `scaleX(${(stats.sequentialMs / longest).toFixed(3)})`;
    this.actualBar.style.transform = `scaleX(${(actualMs / longest).toFixed(3)})`;
  }
}
