/**
 * The crossover plot: how long an exhibition with this one's think times takes, against the
 * number of boards — table to table (the ideal T(N)), one game after another N·M·(j+o), the
 * crossover N* where Judit becomes the bottleneck, and where this exhibition stands. Every number
 * comes from the server's figures through shared/lesson.ts; this only draws them.
 */
import type { LessonFigures } from '../../../shared/domain.js';
import { crossoverCurve, giversCurve, type CurvePoint } from '../../../shared/lesson.js';
import { Canvas, numberStep, timeStep } from '../canvas.js';
import { h } from '../dom.js';
import { decimal, duration } from '../format.js';

const COLORS = { ideal: '#c0392b', sequential: '#95a5a6', measured: '#e2e0dc', text: '#8b8782', strong: '#e2e0dc', grid: 'rgba(255,255,255,0.07)' };
/** Several givers at once, each over her section: the curves beside Judit's alone. */
const GIVER_CURVES = [
  { givers: 2, color: '#a569bd' },
  { givers: 4, color: '#48c9b0' },
];
const OTHER_GIVERS_COLOR = '#f0b27a';

export class CrossoverView {
  readonly el: HTMLElement;
  private readonly canvas: Canvas;
  private lesson: LessonFigures | null = null;
  private elapsedMs = 0;
  private frame = 0;

  /** `measured`: what the point of this exhibition is called in the key. */
  constructor({ measured = 'this exhibition, measured' }: { measured?: string } = {}) {
    this.canvas = new Canvas(
      { class: 'crossover-canvas', role: 'img', 'aria-label': 'Exhibition time against the number of boards', 'data-testid': 'crossover' },
      () => this.redraw(),
    );
    const key = (cls: string, label: string) => h('span', { class: 'key' }, h('span', { class: `swatch ${cls}` }), label);
    this.el = h(
      'div',
      { class: 'crossover' },
      this.canvas.el,
      h(
        'p',
        { class: 'chart-keys' },
        key('ideal', 'table to table (the formula)'),
        key('sequential', 'one game after another'),
        ...GIVER_CURVES.map((c) => key(`givers-${c.givers}`, `${c.givers} givers at once`)),
        (this.othersKey = h('span', { class: 'key', hidden: '' }, h('span', { class: 'swatch givers-other' }), '')),
        key('measured', measured),
      ),
    );
  }

  /** The key of this exhibition's own number of givers, when that is neither 1, 2 nor 4. */
  private readonly othersKey: HTMLElement;

  /** The curves of several givers: 2 and 4, and this exhibition's own number when another. */
  private giverCurves(givers: number): { givers: number; color: string }[] {
    return givers > 1 && !GIVER_CURVES.some((c) => c.givers === givers) ? [...GIVER_CURVES, { givers, color: OTHER_GIVERS_COLOR }] : GIVER_CURVES;
  }

  /** The server's figures, and the playing time so far (the server's, ticking on). */
  update(lesson: LessonFigures | null, elapsedMs: number): void {
    this.lesson = lesson;
    this.elapsedMs = elapsedMs;
    const d = this.el.dataset;
    if (lesson) {
      d.crossover = decimal(lesson.crossoverBoards);
      d.boards = String(lesson.boards);
      d.givers = String(lesson.givers);
      d.idealSeconds = String(Math.round(lesson.idealSeconds));
      d.measuredSeconds = String(Math.round(elapsedMs / 1000));
    } else {
      for (const key of ['crossover', 'boards', 'givers', 'idealSeconds', 'measuredSeconds']) delete d[key];
    }
    const k = lesson?.givers ?? 1;
    const other = k > 1 && !GIVER_CURVES.some((c) => c.givers === k);
    this.othersKey.hidden = !other;
    this.othersKey.lastChild!.textContent = other ? `${k} givers at once` : '';
    this.redraw();
  }

  redraw(): void {
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.draw();
      });
    }
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.canvas.dispose();
  }

  private draw(): void {
    if (!this.canvas.ready()) return;
    const narrow = this.canvas.boxWidth < 560;
    const height = narrow ? 230 : 290;
    const ctx = this.canvas.begin(height);
    if (!ctx) return;
    const width = this.canvas.width;
    const left = narrow ? 58 : 76;
    const top = 22;
    const bottom = 34;
    const right = 14;
    const plotW = width - left - right;
    const plotH = height - top - bottom;
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    const l = this.lesson;
    if (!l) {
      ctx.fillStyle = COLORS.text;
      ctx.textAlign = 'center';
      ctx.fillText('The plot appears once an opponent has moved.', left + plotW / 2, top + plotH / 2);
      ctx.textAlign = 'start';
      return;
    }

    const nStar = l.crossoverBoards;
    // wide enough to show the crossover and the bottleneck beyond it, and this exhibition
    // with several givers, far enough for their knees too: k givers are the bottleneck from k·N* on
    const reach = l.givers > 1 ? Math.max(4, l.givers) + 1 : 2;
    const maxBoards = Math.max(4, l.boards + 1, Math.min(Math.ceil(nStar * reach), Math.max(50, l.boards * 4)));
    const curve = crossoverCurve(l, maxBoards);
    const giverCurves = this.giverCurves(l.givers).map((c) => ({ ...c, points: giversCurve(l, maxBoards, c.givers) }));
    const measured = this.elapsedMs / 1000;
    const maxT = Math.max(curve[curve.length - 1].idealSeconds, measured, l.idealSeconds, 1) * 1.12;
    const x = (n: number) => left + (n / maxBoards) * plotW;
    const y = (s: number) => top + plotH - (s / maxT) * plotH;
    this.el.dataset.maxBoards = String(maxBoards);

    // the two regimes either side of N*
    const xs = Math.min(x(nStar), left + plotW);
    ctx.fillStyle = 'rgba(46,134,193,0.07)';
    ctx.fillRect(left, top, xs - left, plotH);
    ctx.fillStyle = 'rgba(192,57,43,0.08)';
    ctx.fillRect(xs, top, left + plotW - xs, plotH);

    // axes and grid
    ctx.strokeStyle = COLORS.grid;
    ctx.fillStyle = COLORS.text;
    ctx.beginPath();
    const tStep = timeStep(maxT / (narrow ? 4 : 5));
    ctx.textAlign = 'end';
    for (let s = 0; s <= maxT; s += tStep) {
      const ty = Math.round(y(s)) + 0.5;
      ctx.moveTo(left, ty);
      ctx.lineTo(left + plotW, ty);
      ctx.fillText(tick(s), left - 6, ty);
    }
    ctx.textAlign = 'center';
    const nStep = numberStep(maxBoards / (narrow ? 5 : 8));
    for (let n = 0; n <= maxBoards; n += nStep) {
      const tx = Math.round(x(n)) + 0.5;
      ctx.moveTo(tx, top + plotH);
      ctx.lineTo(tx, top + plotH + 4);
      ctx.fillText(String(n), tx, top + plotH + 11);
    }
    ctx.stroke();
    ctx.fillText('boards', left + plotW / 2, height - 8);
    ctx.strokeStyle = 'rgba(255,255,255,0.3)';
    ctx.beginPath();
    ctx.moveTo(left + 0.5, top);
    ctx.lineTo(left + 0.5, top + plotH + 0.5);
    ctx.lineTo(left + plotW, top + plotH + 0.5);
    ctx.stroke();

    // the curves, clipped to the plot: one after another leaves it after a few boards
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top - 1, plotW + 1, plotH + 1);
    ctx.clip();
    polyline(ctx, curve, (p) => [x(p.boards), y(p.sequentialSeconds)], COLORS.sequential, [6, 4]);
    for (const c of giverCurves) polyline(ctx, c.points, (p) => [x(p.boards), y(p.idealSeconds)], c.color, [3, 2]);
    polyline(ctx, curve, (p) => [x(p.boards), y(p.idealSeconds)], COLORS.ideal, []);
    ctx.restore();

    // N*
    ctx.textAlign = 'start';
    if (nStar <= maxBoards) {
      ctx.strokeStyle = COLORS.strong;
      ctx.setLineDash([2, 3]);
      ctx.beginPath();
      ctx.moveTo(Math.round(xs) + 0.5, top);
      ctx.lineTo(Math.round(xs) + 0.5, top + plotH);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.fillStyle = COLORS.strong;
    ctx.font = '600 11px system-ui, sans-serif';
    const starLabel = nStar <= maxBoards ? `N* = ${decimal(nStar)}` : `N* = ${decimal(nStar)} (off the chart)`;
    const sw = ctx.measureText(starLabel).width;
    ctx.fillText(starLabel, Math.min(xs + 5, left + plotW - sw), top - 10);
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = COLORS.text;
    // the regimes named at the foot of the plot, below the curves
    const foot = top + plotH - 10;
    if (xs - left > 90) haloText(ctx, 'Judit waits', left + 6, foot);
    if (left + plotW - xs > 150) {
      ctx.textAlign = 'end';
      haloText(ctx, 'Judit is the bottleneck', left + plotW - 6, foot);
    }

    // where one after another leaves the chart, say what it is
    const out = curve.findIndex((p) => p.sequentialSeconds > maxT);
    const seqAt = curve[Math.max(0, (out === -1 ? curve.length : out) - 1)];
    ctx.fillStyle = COLORS.sequential;
    ctx.textAlign = 'start';
    const sx = x(seqAt.boards) + 6;
    const sy = Math.max(top + 24, y(seqAt.sequentialSeconds));
    if (sx < left + plotW - 100) haloText(ctx, 'one after another ↑', sx, sy);

    // this exhibition: the formula's time for the moves played, and the time they took
    const bx = x(l.boards);
    ctx.strokeStyle = COLORS.measured;
    ctx.beginPath();
    ctx.moveTo(bx, y(l.idealSeconds));
    ctx.lineTo(bx, y(measured));
    ctx.stroke();
    ctx.lineWidth = 2;
    ctx.strokeStyle = COLORS.ideal;
    ctx.fillStyle = '#262421';
    ctx.beginPath();
    ctx.arc(bx, y(l.idealSeconds), 4.5, 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
    ctx.fillStyle = COLORS.measured;
    ctx.beginPath();
    ctx.arc(bx, y(measured), 5, 0, Math.PI * 2);
    ctx.fill();
    ctx.lineWidth = 1;
    ctx.font = '600 11px system-ui, sans-serif';
    const label = `this exhibition, ${duration(this.elapsedMs)}`;
    const lw = ctx.measureText(label).width;
    const onLeft = bx + 10 + lw > left + plotW;
    ctx.textAlign = onLeft ? 'end' : 'start';
    haloText(ctx, label, onLeft ? bx - 10 : bx + 10, Math.max(top + 8, y(measured) - (measured >= l.idealSeconds ? 10 : -10)));
    ctx.textAlign = 'start';
  }
}

function polyline<P extends Pick<CurvePoint, 'boards' | 'idealSeconds'>>(
  ctx: CanvasRenderingContext2D,
  curve: P[],
  at: (p: P) => [number, number],
  color: string,
  dash: number[],
): void {
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  ctx.setLineDash(dash);
  ctx.beginPath();
  curve.forEach((p, i) => {
    const [px, py] = at(p);
    if (i === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  });
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.lineWidth = 1;
}

/** Text with a dark outline, legible over the curves. */
function haloText(ctx: CanvasRenderingContext2D, text: string, x: number, y: number): void {
  ctx.save();
  ctx.strokeStyle = 'rgba(31,29,26,0.9)';
  ctx.lineWidth = 4;
  ctx.lineJoin = 'round';
  ctx.strokeText(text, x, y);
  ctx.restore();
  ctx.fillText(text, x, y);
}

/** A time axis label, short: "0", "45 s", "30 min", "1 h", "1 h 30". */
function tick(s: number): string {
  if (s === 0) return '0';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.round(s % 60);
  if (h > 0) return m ? `${h} h ${String(m).padStart(2, '0')}` : `${h} h`;
  if (m > 0) return sec ? `${m}:${String(sec).padStart(2, '0')}` : `${m} min`;
  return `${sec} s`;
}
