/**
 * Judit's timeline on a canvas: her own lane on top (one per giver when several walk their sections), one lane per board below — when she was at
 * each table thinking, when the opponent was thinking, when the board sat waiting for her. Live:
 * the spans still going grow with the server's time. Follows now, shows the whole exhibition, or
 * any stretch of it (drag, Ctrl + wheel, the buttons, the arrow keys). Built for 200 boards over
 * hours: only the spans in view are drawn, one path per colour, and only when a pixel would change.
 */
import type { BoardSummary, JuditWhereabouts } from '../../../shared/domain.js';
import { Canvas, timeStep } from '../canvas.js';
import { h, setText, toggle } from '../dom.js';
import { clock } from '../format.js';
import { giverName } from '../../../shared/givers.js';
import { firstEndingAfter, type Lanes, type Span, type SpanKind } from '../lanes.js';

/** The simulator report's colours and meanings. */
export const SPAN_COLORS: Record<SpanKind, string> = { judit: '#c0392b', opponent: '#2e86c1', waiting: '#d5d8dc' };

export interface TimelineSource {
  lanes: Lanes;
  /** Seated boards in table order, as they stand now. */
  boards(): BoardSummary[];
  judit(): JuditWhereabouts;
  /** With several givers: where each is, and whose section a table is in. Absent: Judit alone. */
  givers?(): JuditWhereabouts[];
  giverOf?(table: number): number;
  /** Where time stands: the server's now while playing, the moment play stopped otherwise. */
  now(): number;
  /** While true the spans grow: keep drawing. */
  running(): boolean;
}

type Mode = 'follow' | 'all' | 'free';

const JUDIT_H = 18;
const GAP = 6;
const AXIS_H = 22;
const RIGHT = 10;
const MIN_WINDOW_MS = 5_000;
/** Live changes are drawn this often at most. */
const LIVE_FRAME_MS = 100;
const MAX_WINDOW_MS = 48 * 3_600_000;

/** Where things were drawn in the last frame: for the pointer and for tests. */
interface Layout {
  gutter: number;
  plotW: number;
  laneTop: number;
  laneH: number;
  from: number;
  to: number;
}

export class TimelineView {
  readonly el: HTMLElement;
  private readonly canvas: Canvas;
  private readonly buttons: Record<'follow' | 'all' | 'in' | 'out', HTMLButtonElement>;
  private readonly range = h('span', { class: 'timeline-range muted', 'data-testid': 'timeline-range' });
  private mode: Mode = 'follow';
  private windowMs = 2 * 60_000;
  private freeFrom = 0;
  private frame = 0;
  /** Bumped by touch(): a board or Judit changed, the growing spans with them. */
  private touched = 0;
  private drawnKey = '';
  private layout: Layout | null = null;
  private drag: { x: number; from: number; id: number } | null = null;
  /** How long the last frame took to draw, and when: a costly picture is redrawn less often. */
  private lastDrawMs = 0;
  private lastDrawAt = 0;
  /** The reader moved or zoomed: draw at the next frame, however costly. */
  private urgent = true;
  /** The finished spans as drawn for one stretch of time and size (`key`); `upTo`: spans drawn per table. */
  private readonly cached = {
    key: '',
    canvas: document.createElement('canvas'),
    upTo: new Map<number, number>(),
    judit: 0,
    counts: { judit: 0, opponent: 0, waiting: 0 } as Record<SpanKind, number>,
  };

  /** `mode`: what it opens on, the present moment followed (the default) or the whole exhibition. */
  constructor(
    private readonly source: TimelineSource,
    { mode = 'follow' }: { mode?: 'follow' | 'all' } = {},
  ) {
    this.mode = mode;
    this.canvas = new Canvas(
      {
        class: 'timeline-canvas',
        role: 'img',
        tabindex: '0',
        'aria-label': 'Judit’s timeline: her lane on top, one lane per board. Arrow keys move in time, + and − zoom.',
        'data-testid': 'timeline',
      },
      () => this.redrawNow(),
    );
    const button = (label: string, title: string, testId: string, act: () => void) => {
      const b = h('button', { class: 'btn btn-small', type: 'button', title, 'data-testid': testId }, label);
      b.addEventListener('click', act);
      return b;
    };
    this.buttons = {
      follow: button('Follow now', 'Keep the present moment in view', 'timeline-follow', () => this.setMode('follow')),
      all: button('Whole exhibition', 'Everything from the start', 'timeline-all', () => this.setMode('all')),
      out: button('−', 'Zoom out', 'timeline-out', () => this.zoom(2)),
      in: button('+', 'Zoom in', 'timeline-in', () => this.zoom(0.5)),
    };
    this.buttons.out.setAttribute('aria-label', 'Zoom out');
    this.buttons.in.setAttribute('aria-label', 'Zoom in');
    const key = (kind: SpanKind, label: string) =>
      h('span', { class: 'key' }, h('span', { class: 'swatch', style: `background:${SPAN_COLORS[kind]}` }), label);
    this.el = h(
      'div',
      { class: 'timeline' },
      h(
        'div',
        { class: 'chart-bar' },
        h('div', { class: 'button-row' }, this.buttons.follow, this.buttons.all, this.buttons.out, this.buttons.in),
        this.range,
      ),
      this.canvas.el,
      h(
        'p',
        { class: 'chart-keys' },
        key('judit', 'Judit thinking'),
        key('opponent', 'opponent thinking'),
        key('waiting', 'board waiting for Judit'),
        h('span', { class: 'muted chart-hint' }, 'Drag to move in time, Ctrl + wheel to zoom.'),
      ),
    );
    this.listen();
    this.showMode();
    this.redraw();
  }

  /** A board or Judit changed: the growing spans may have. */
  touch(): void {
    this.touched++;
    this.redraw();
  }

  /** Asks for a frame; while the exhibition runs and the chart is on screen, frames keep coming. */
  redraw(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.tick());
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.canvas.dispose();
  }

  private redrawNow(): void {
    this.urgent = true;
    this.redraw();
  }

  /**
   * One animation frame: draws when something visible changed. Live changes (moves, time) are
   * drawn ten times a second at most, and at most every eight times the last drawing's cost, so
   * that a busy exhibition never takes more than a small share of the page's time (painting the
   * canvas costs the browser more than drawing on it); the reader's own moves are drawn at once.
   */
  private tick(): void {
    this.frame = 0;
    const t0 = performance.now();
    const due = this.urgent || t0 - this.lastDrawAt >= Math.max(LIVE_FRAME_MS, this.lastDrawMs * 8);
    if (due) {
      this.urgent = false;
      if (this.draw()) {
        this.lastDrawMs = performance.now() - t0;
        this.lastDrawAt = t0;
        this.el.dataset.drawMs = this.lastDrawMs.toFixed(1);
      }
    }
    const onScreen = this.canvas.visible && this.canvas.boxWidth > 0;
    if (onScreen && (!due || this.source.running())) this.redraw();
  }

  private setMode(mode: Mode): void {
    this.mode = mode;
    this.showMode();
    this.redrawNow();
  }

  private showMode(): void {
    for (const m of ['follow', 'all'] as const) {
      toggle(this.buttons[m], 'btn-active', this.mode === m);
      this.buttons[m].setAttribute('aria-pressed', String(this.mode === m));
    }
    this.el.dataset.mode = this.mode;
  }

  /** Zooms by `factor` (below 1: in) around `atX` on the canvas, or the middle. */
  private zoom(factor: number, atX?: number): void {
    const view = this.view();
    if (!view) return;
    const span = view.to - view.from;
    const next = Math.min(MAX_WINDOW_MS, Math.max(MIN_WINDOW_MS, span * factor));
    if (this.mode === 'follow') {
      this.windowMs = next; // still anchored at now
    } else {
      const l = this.layout;
      const at = l && atX !== undefined ? Math.min(1, Math.max(0, (atX - l.gutter) / l.plotW)) : 0.5;
      const pivot = view.from + span * at;
      this.freeFrom = pivot - next * at;
      this.windowMs = next;
      this.mode = 'free';
    }
    this.showMode();
    this.redrawNow();
  }

  /** Moves the view by `ms` (later when positive). */
  private pan(ms: number): void {
    const view = this.view();
    if (!view) return;
    this.freeFrom = view.from + ms;
    this.windowMs = view.to - view.from;
    this.mode = 'free';
    this.showMode();
    this.redrawNow();
  }

  private listen(): void {
    const el = this.canvas.el;
    el.addEventListener('pointerdown', (e) => {
      const view = this.view();
      if (!view || e.button !== 0) return;
      this.drag = { x: e.clientX, from: view.from, id: e.pointerId };
      this.windowMs = view.to - view.from;
      el.setPointerCapture(e.pointerId);
    });
    el.addEventListener('pointermove', (e) => {
      const d = this.drag;
      const l = this.layout;
      if (!d || !l || d.id !== e.pointerId) return;
      const dx = e.clientX - d.x;
      if (this.mode !== 'free' && Math.abs(dx) < 4) return; // a click, not a drag
      this.freeFrom = d.from - (dx * this.windowMs) / l.plotW;
      if (this.mode !== 'free') {
        this.mode = 'free';
        this.showMode();
      }
      this.redrawNow();
    });
    const drop = (e: PointerEvent) => {
      if (this.drag?.id === e.pointerId) this.drag = null;
    };
    el.addEventListener('pointerup', drop);
    el.addEventListener('pointercancel', drop);
    el.addEventListener('dblclick', () => this.setMode('follow'));
    el.addEventListener(
      'wheel',
      (e) => {
        const rect = el.getBoundingClientRect();
        if (e.ctrlKey || e.metaKey) {
          e.preventDefault();
          this.zoom(Math.exp(e.deltaY * 0.0025), e.clientX - rect.left);
        } else if (Math.abs(e.deltaX) > Math.abs(e.deltaY) || e.shiftKey) {
          e.preventDefault();
          const l = this.layout;
          if (l) this.pan(((e.shiftKey ? e.deltaY : e.deltaX) * (l.to - l.from)) / l.plotW);
        }
        // a plain vertical wheel scrolls the page
      },
      { passive: false },
    );
    el.addEventListener('keydown', (e) => {
      const l = this.layout;
      if (!l) return;
      const step = (l.to - l.from) / 8;
      if (e.key === 'ArrowLeft') this.pan(-step);
      else if (e.key === 'ArrowRight') this.pan(step);
      else if (e.key === '+' || e.key === '=') this.zoom(0.5);
      else if (e.key === '-') this.zoom(2);
      else if (e.key === 'Home') this.setMode('all');
      else if (e.key === 'End') this.setMode('follow');
      else return;
      e.preventDefault();
    });
  }

  /** The stretch of time in view, snapped to whole pixels so that time alone redraws once a pixel. */
  private view(): { from: number; to: number; start: number; now: number } | null {
    const start = this.source.lanes.startedAt;
    if (start === null) return null;
    const now = Math.max(start, this.source.now());
    const plotW = Math.max(50, (this.layout?.plotW ?? this.canvas.boxWidth) || 600);
    // the whole exhibition, or (following) all of it until it fills the window: the range grows
    // in steps of about 5 %, so that time alone redraws only when a pixel changes
    const span = Math.max(5_000, now - start);
    if (this.mode === 'all' || (this.mode === 'follow' && span * 1.1 < this.windowMs)) {
      const q = timeStep(span / 20_000) * 1000;
      return { from: start, to: start + Math.ceil((span + q / 4) / q) * q, start, now };
    }
    if (this.mode === 'free') return { from: this.freeFrom, to: this.freeFrom + this.windowMs, start, now };
    const perPx = this.windowMs / plotW;
    const lead = this.windowMs * 0.03;
    const to = Math.max(start + this.windowMs, Math.ceil((now + lead) / perPx) * perPx);
    return { from: to - this.windowMs, to, start, now };
  }

  /**
   * Draws a frame if anything visible changed; answers whether it did. The finished spans are
   * kept as a picture for the stretch of time in view, and only the spans added since are drawn
   * onto it; each frame then lays that picture down and draws on it what is still growing.
   */
  private draw(): boolean {
    if (!this.canvas.ready()) return false; // off screen or folded away: nothing to do
    const boards = this.source.boards();
    const n = boards.length;
    const width = this.canvas.boxWidth;
    const narrow = width < 560;
    const laneH = Math.max(3, Math.min(narrow ? 13 : 16, Math.floor((narrow ? 300 : 460) / Math.max(1, n))));
    const givers = this.source.givers?.() ?? [this.source.judit()];
    const giverOf = (table: number) => this.source.giverOf?.(table) ?? 0;
    const k = givers.length;
    const giverTop = (g: number) => 2 + g * JUDIT_H;
    const laneTop = 2 + k * JUDIT_H + GAP;
    const height = laneTop + n * laneH + AXIS_H;
    const view = this.view();
    const gutter = narrow ? 44 : 118;
    const plotW = Math.max(50, width - gutter - RIGHT);
    const nowPx = view ? Math.round(((view.now - view.from) / (view.to - view.from)) * plotW * 2) : 0;
    const key = `${this.source.lanes.version}|${this.touched}|${n}|${k}|${width}|${window.devicePixelRatio}|${view?.from}|${view?.to}|${nowPx}`;
    if (key === this.drawnKey) return false;
    const ctx = this.canvas.begin(height);
    if (!ctx) return false;
    this.drawnKey = key;
    this.layout = view ? { gutter, plotW, laneTop, laneH, from: view.from, to: view.to } : null;
    const el = this.el.dataset;
    el.lanes = String(n + k);
    el.givers = String(k);
    el.tables = boards.map((b) => b.table).join(',');
    el.juditTop = '2';
    el.juditHeight = String(JUDIT_H);
    el.laneTop = String(laneTop);
    el.laneHeight = String(laneH);

    // lanes and their labels
    ctx.font = '600 11px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = 'rgba(255,255,255,0.045)';
    for (let g = 0; g < k; g += 2) ctx.fillRect(gutter, giverTop(g), plotW, JUDIT_H);
    for (let i = 0; i < n; i += 2) ctx.fillRect(gutter, laneTop + i * laneH, plotW, laneH);
    ctx.fillStyle = '#e2e0dc';
    for (let g = 0; g < k; g++) ctx.fillText(fit(ctx, giverName(g), gutter - 8), 4, giverTop(g) + JUDIT_H / 2);
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = '#8b8782';
    const every = laneH >= 11 ? 1 : Math.ceil(12 / laneH);
    for (let i = 0; i < n; i++) {
      const b = boards[i];
      if (every > 1 && b.table % every !== 0 && i !== 0) continue;
      const label = narrow || laneH < 11 ? String(b.table) : `${b.table} ${b.opponent}`;
      ctx.fillText(fit(ctx, label, gutter - 8), 4, laneTop + i * laneH + laneH / 2);
    }

    if (!view) {
      ctx.fillStyle = '#8b8782';
      ctx.textAlign = 'center';
      ctx.fillText('The timeline starts with the exhibition.', gutter + plotW / 2, 2 + JUDIT_H / 2);
      ctx.textAlign = 'start';
      this.count({ judit: 0, opponent: 0, waiting: 0 });
      setText(this.range, '');
      return true;
    }

    const { from, to, start, now } = view;
    const scale = plotW / (to - from);
    const x = (t: number) => gutter + (t - from) * scale;
    const pad = laneH >= 8 ? 2 : laneH >= 5 ? 1 : 0.5;
    const laneY = (i: number) => laneTop + i * laneH + pad / 2;
    const spanH = laneH - pad;
    const clipX = (a: number, b: number): [number, number] | null => {
      if (b <= from || a >= to || b <= a) return null;
      const x0 = Math.max(gutter - 1, x(a));
      return [x0, Math.max(0.6, Math.min(gutter + plotW + 1, x(b)) - x0)];
    };

    // the finished spans: onto the picture, only those it does not have yet
    const c = this.cached;
    const lanes = this.source.lanes;
    const cacheKey = `${from}|${to}|${this.canvas.el.width}|${this.canvas.el.height}|${el.tables}|${k}|${lanes.resets}`;
    if (c.key !== cacheKey) {
      c.key = cacheKey;
      c.canvas.width = this.canvas.el.width;
      c.canvas.height = this.canvas.el.height;
      c.upTo.clear();
      c.judit = 0;
      c.counts = { judit: 0, opponent: 0, waiting: 0 };
    }
    const pic = c.canvas.getContext('2d')!;
    const ratio = this.canvas.el.width / width;
    pic.setTransform(ratio, 0, 0, ratio, 0, 0);
    const rects: Record<SpanKind, number[]> = { judit: [], opponent: [], waiting: [] };
    /** `y` of a span: its board's lane, or its giver's when `y` is a function of the table. */
    const paint = (spans: Span[], first: number, y: number | ((table: number) => number), hgt: number): void => {
      for (let i = first; i < spans.length && spans[i].from < to; i++) {
        const s = spans[i];
        const r = clipX(s.from, s.to);
        if (r) rects[s.kind].push(r[0], typeof y === 'number' ? y : y(s.table), r[1], hgt);
      }
    };
    for (let i = 0; i < n; i++) {
      const lane = lanes.lane(boards[i].table);
      if (!lane) continue;
      const done = c.upTo.get(lane.table);
      paint(lane.spans, done ?? firstEndingAfter(lane.spans, from), laneY(i), spanH);
      c.upTo.set(lane.table, lane.spans.length);
    }
    paint(lanes.judit, c.judit || firstEndingAfter(lanes.judit, from), (table) => giverTop(giverOf(table)) + 2, JUDIT_H - 4);
    c.judit = lanes.judit.length;
    for (const kind of ['waiting', 'opponent', 'judit'] as const) {
      const r = rects[kind];
      pic.fillStyle = SPAN_COLORS[kind];
      for (let i = 0; i < r.length; i += 4) pic.fillRect(r[i], r[i + 1], r[i + 2], r[i + 3]);
      c.counts[kind] += r.length / 4;
    }
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(c.canvas, 0, 0);
    ctx.restore();

    // what is going on at each board now (or was when its game ended), on top
    const growing: Record<SpanKind, number> = { judit: 0, opponent: 0, waiting: 0 };
    const grow = (kind: SpanKind, a: number, b: number, y: number, hgt: number) => {
      const r = clipX(a, b);
      if (!r) return;
      ctx.fillStyle = SPAN_COLORS[kind];
      ctx.fillRect(r[0], y, r[1], hgt);
      growing[kind]++;
    };
    ctx.fillStyle = '#e2e0dc';
    for (let i = 0; i < n; i++) {
      const b = boards[i];
      const lane = lanes.lane(b.table);
      const last = lane?.spans[lane.spans.length - 1];
      const since = Math.max(b.turnSince, last?.to ?? start, start);
      const until = b.end ? b.end.at : now;
      const y = laneY(i);
      const judit = givers[giverOf(b.table)] ?? givers[0];
      if (b.turn !== b.juditColor) grow('opponent', since, until, y, spanH);
      else if (!b.end && judit.activity === 'thinking' && judit.table === b.table) {
        const thinking = Math.max(since, Math.min(judit.since, until));
        grow('waiting', since, thinking, y, spanH);
        grow('judit', thinking, until, y, spanH);
      } else grow('waiting', since, until, y, spanH);
      // a game over: a short bar where it ended
      if (b.end && b.end.at >= from && b.end.at <= to) {
        ctx.fillStyle = '#e2e0dc';
        ctx.fillRect(x(b.end.at) - 1, laneTop + i * laneH, 2, laneH);
      }
    }
    givers.forEach((g, i) => {
      if (g.activity === 'thinking' && g.table !== null) grow('judit', Math.max(g.since, start), now, giverTop(i) + 2, JUDIT_H - 4);
    });
    this.count({
      judit: c.counts.judit + growing.judit,
      opponent: c.counts.opponent + growing.opponent,
      waiting: c.counts.waiting + growing.waiting,
    });

    // the time axis, counted from the start
    const axisY = laneTop + n * laneH;
    const step = timeStep(((to - from) / 1000) * (80 / plotW)) * 1000;
    ctx.strokeStyle = 'rgba(255,255,255,0.08)';
    ctx.fillStyle = '#8b8782';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'alphabetic';
    ctx.beginPath();
    for (let t = start + Math.ceil((from - start) / step) * step; t <= to; t += step) {
      const tx = Math.round(x(t)) + 0.5;
      ctx.moveTo(tx, 2);
      ctx.lineTo(tx, axisY + 4);
      ctx.fillText(clock(t - start), Math.min(Math.max(tx, gutter + 14), gutter + plotW - 10), axisY + 16);
    }
    ctx.stroke();
    ctx.textAlign = 'start';

    // now
    if (now >= from && now <= to) {
      const nx = Math.round(x(now)) + 0.5;
      ctx.strokeStyle = this.source.running() ? '#7cb342' : '#8b8782';
      ctx.beginPath();
      ctx.moveTo(nx, 0);
      ctx.lineTo(nx, axisY);
      ctx.stroke();
    }
    setText(this.range, `${clock(Math.max(0, from - start))} – ${clock(Math.max(0, to - start))} from the start`);
    return true;
  }

  private count(c: Record<SpanKind, number>): void {
    const d = this.el.dataset;
    d.spansJudit = String(c.judit);
    d.spansOpponent = String(c.opponent);
    d.spansWaiting = String(c.waiting);
  }
}

/** `text`, cut with an ellipsis to fit `width` pixels. */
function fit(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let s = text;
  while (s.length > 1 && ctx.measureText(`${s}…`).width > width) s = s.slice(0, -1);
  return `${s}…`;
}
