/**
 * Judit's timeline as data: for every board, the spans when Judit thought there, when the
 * opponent thought, and when the board sat waiting for her; and Judit's own lane, her thinking at
 * any table. Built from the moves' server times (the timeline, then every move as it comes); the
 * spans still growing are the view's business, from the boards as they stand now.
 */
import type { MoveRecord } from '../../shared/domain.js';
import type { Timeline } from '../../shared/protocol.js';

export type SpanKind = 'judit' | 'opponent' | 'waiting';

export interface Span {
  from: number;
  to: number;
  kind: SpanKind;
  /** The board a span of Judit's own lane was at. */
  table: number;
}

/** One board's finished spans, in time order. */
export interface Lane {
  table: number;
  spans: Span[];
  /** Moves taken in so far: the next must be ply + 1. */
  ply: number;
}

export class Lanes {
  startedAt: number | null = null;
  /** Judit's thinking at every table, in time order. */
  readonly judit: Span[] = [];
  private readonly lanes = new Map<number, Lane>();
  /** False until the first timeline arrived: moves before it cannot be placed. */
  loaded = false;
  /** Changes with every change: the view redraws when it differs from what it drew. */
  version = 0;
  /**
   * Changes when spans changed other than by being added at the end of their lane (a new
   * timeline, a late span put in its place): a picture drawn from the old ones must start over.
   */
  resets = 0;

  /** Everything again from a timeline (the first, or after a reconnection or a gap). */
  load(timeline: Timeline): void {
    this.startedAt = timeline.startedAt;
    this.judit.length = 0;
    this.lanes.clear();
    for (const l of timeline.lanes) {
      const lane = this.laneOf(l.table);
      for (const move of l.moves) this.place(lane, move);
    }
    this.loaded = true;
    this.version++;
    this.resets++;
  }

  /** Marks the start, announced before any move. */
  start(at: number): void {
    if (this.startedAt !== null) return;
    this.startedAt = at;
    this.version++;
  }

  /**
   * Takes one move as it comes. Answers false when a move before it is missing (the timeline must
   * be loaded again); a move already known is ignored.
   */
  add(table: number, move: MoveRecord): boolean {
    if (!this.loaded) return true;
    const lane = this.laneOf(table);
    if (move.ply <= lane.ply) return true;
    if (move.ply > lane.ply + 1) return false;
    this.place(lane, move);
    this.version++;
    return true;
  }

  lane(table: number): Lane | undefined {
    return this.lanes.get(table);
  }

  private laneOf(table: number): Lane {
    let lane = this.lanes.get(table);
    if (!lane) this.lanes.set(table, (lane = { table, spans: [], ply: 0 }));
    return lane;
  }

  private place(lane: Lane, m: MoveRecord): void {
    lane.ply = m.ply;
    const table = lane.table;
    if (m.by === 'opponent') {
      this.push(lane.spans, { from: m.readyAt, to: m.movedAt, kind: 'opponent', table });
      return;
    }
    // she may have started on it (counted from her last table) a moment before it was ready
    const start = Math.max(m.readyAt, m.startedAt);
    this.push(lane.spans, { from: m.readyAt, to: start, kind: 'waiting', table });
    this.push(lane.spans, { from: start, to: m.movedAt, kind: 'judit', table });
    this.push(this.judit, { from: start, to: m.movedAt, kind: 'judit', table });
  }

  /** Adds a span in time order (almost always at the end); an empty one is left out. */
  private push(spans: Span[], span: Span): void {
    if (span.to <= span.from) return;
    let i = spans.length;
    while (i > 0 && spans[i - 1].from > span.from) i--;
    if (i === spans.length) return void spans.push(span);
    spans.splice(i, 0, span);
    this.resets++;
  }
}

/** The index of the first span still going at `t` or after it: spans end in time order. */
export function firstEndingAfter(spans: Span[], t: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].to <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
