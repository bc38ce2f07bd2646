/**
 * The lesson in numbers: how long it has run, how busy Judit is, and how much sooner table to
 * table finishes than one game after another. Every figure is the server's; only the running
 * clocks tick here between updates (the page redraws every second).
 */
import type { ExhibitionSnapshot } from '../../../shared/protocol.js';
import { clock, percent, speedup } from '../format.js';
import { playingMs, serverNow } from '../servertime.js';
import { h, type VNode } from '../vdom.js';

export function statsView(s: ExhibitionSnapshot): VNode {
  const stats = s.stats;
  const now = serverNow();
  const wall = s.startedAt === null ? null : (s.finishedAt ?? now) - s.startedAt;
  const actualMs = playingMs(stats, s.status, now);
  const longest = Math.max(stats.sequentialMs, actualMs, 1);
  const figure = (label: string, stat: string, value: string, hint: string) =>
    h('div.stat', { attrs: { title: hint } }, [h('dt', label), h('dd', { attrs: { 'data-stat': stat } }, value)]);
  const bar = (label: string, kind: string, ms: number) =>
    h('div.bar', [
      h('span.bar-label', label),
      h('span.bar-track', [h(`span.bar-fill.${kind}`, { style: { transform: `scaleX(${(ms / longest).toFixed(3)})` } })]),
    ]);
  return h('section.panel.stats', { attrs: { 'aria-label': 'Statistics' } }, [
    h('h2.panel-title', 'Statistics'),
    h('dl.stat-grid', [
      figure('Elapsed', 'elapsed', wall === null ? 'not started' : clock(wall), 'Time since the start, pauses included'),
      s.config.givers > 1
        ? figure('Givers busy', 'busy', s.startedAt === null ? '—' : percent(stats.juditUtilisation), 'Share of the playing time the givers spent thinking, on average')
        : figure('Judit busy', 'busy', s.startedAt === null ? '—' : percent(stats.juditUtilisation), 'Share of the playing time Judit spent thinking'),
      figure('One after another', 'sequential', clock(stats.sequentialMs), 'Both sides’ thinking summed over every board: the games played one after another'),
      figure('Actual time', 'actual', clock(actualMs), 'Playing time table to table, pauses excluded'),
      figure('Speed-up', 'speedup', speedup(stats.speedup), 'One after another ÷ actual time'),
      figure('Moves', 'moves', String(stats.movesPlayed), 'Moves played on every board'),
      figure('Opponent move', 'average', stats.opponentAvgMs === null ? '—' : `${(stats.opponentAvgMs / 1000).toFixed(1)} s`, 'Average time an opponent took for a move'),
      figure('Hurried moves', 'engine-late', String(stats.engineLateMoves), 'Judit’s moves cut short at her think time because the server’s engines were all busy'),
    ]),
    h('div.bars', { attrs: { 'aria-hidden': 'true' } }, [bar('One after another', 'sequential', stats.sequentialMs), bar('Table to table', 'actual', actualMs)]),
  ]);
}
