/**
 * A simulated exhibition played back at a chosen speed, as Judit's timeline reads a live one: the
 * moves made by the replay's moment go into the lanes, and the boards and Judit stand as they did
 * then.
 */
import { startingBoard } from '../../../shared/chess.js';
import type { BoardSummary, JuditWhereabouts, MoveRecord } from '../../../shared/domain.js';
import { giverOf } from '../../../shared/givers.js';
import { Lanes } from '../lanes.js';
import type { TimelineSource } from '../view/timeline.js';
import type { Played } from './protocol.js';

interface Placed {
  table: number;
  move: MoveRecord;
}

export class Replay implements TimelineSource {
  readonly lanes = new Lanes();
  /** Every move of every board, by the time it was made. */
  private readonly moves: Placed[];
  /** Each giver's moves by the time she began them: she does one thing at a time. */
  private readonly giverMoves: Placed[][];
  private next = 0;
  private readonly nextOf: number[];
  /** Moves made so far on each board, by table. */
  private readonly plies = new Map<number, number>();
  private readonly summaries: BoardSummary[];
  private at: number;
  private wallStart = 0;

  constructor(
    private readonly played: Played,
    /** Seconds of exhibition per second. */
    private speed: number,
  ) {
    this.at = played.startedAt;
    this.lanes.load({
      id: 'playground',
      startedAt: played.startedAt,
      serverNow: played.startedAt,
      lanes: played.boards.map((b) => ({ table: b.table, opponent: b.opponent, moves: [] })),
    });
    this.moves = played.boards.flatMap((b) => b.moves.map((move) => ({ table: b.table, move }))).sort((a, b) => a.move.movedAt - b.move.movedAt);
    const mine = this.moves.filter((p) => p.move.by === 'judit').sort((a, b) => a.move.startedAt - b.move.startedAt);
    this.giverMoves = Array.from({ length: played.givers }, (_, g) => mine.filter((p) => this.giverOf(p.table) === g));
    this.nextOf = this.giverMoves.map(() => 0);
    this.summaries = played.boards.map((b) => startingBoard(b.table, b.opponent, b.juditColor, played.startedAt));
  }

  /** Starts the playback over at `speed`, from the wall-clock moment `wallNow` (ms). */
  start(wallNow: number, speed = this.speed): void {
    this.speed = speed;
    this.wallStart = wallNow - (this.at - this.played.startedAt) / speed;
  }

  /** Carries on at another speed from where it is. */
  setSpeed(wallNow: number, speed: number): void {
    this.start(wallNow, speed);
  }

  /** Moves the replay to the wall-clock moment `wallNow`; answers whether anything changed. */
  advance(wallNow: number): boolean {
    const { startedAt, finishedAt } = this.played;
    const at = Math.min(finishedAt, startedAt + (wallNow - this.wallStart) * this.speed);
    if (at === this.at) return false;
    this.at = at;
    while (this.next < this.moves.length && this.moves[this.next].move.movedAt <= at) {
      const { table, move } = this.moves[this.next++];
      this.lanes.add(table, move);
      this.plies.set(table, move.ply);
    }
    this.giverMoves.forEach((moves, g) => {
      while (this.nextOf[g] < moves.length && moves[this.nextOf[g]].move.movedAt <= at) this.nextOf[g]++;
    });
    return true;
  }

  /** Plays it all at once: the whole exhibition on the chart. */
  finish(): void {
    this.wallStart = Number.NEGATIVE_INFINITY;
    this.advance(0);
  }

  get done(): boolean {
    return this.at >= this.played.finishedAt;
  }

  /** The whole exhibition's length, in ms. */
  get totalMs(): number {
    return this.played.finishedAt - this.played.startedAt;
  }

  /** How far the replay has come, from the start, in ms. */
  get elapsedMs(): number {
    return this.at - this.played.startedAt;
  }

  // ── what Judit's timeline reads ─────────────────────────────────────────

  boards(): BoardSummary[] {
    return this.played.boards.map((b, i) => {
      const ply = this.plies.get(b.table) ?? 0;
      const s = this.summaries[i];
      s.ply = ply;
      s.turn = ply % 2 === 0 ? 'white' : 'black';
      s.turnSince = ply === 0 ? this.played.startedAt : b.moves[ply - 1].movedAt;
      s.end = b.end && b.end.at <= this.at ? b.end : null;
      return s;
    });
  }

  judit(): JuditWhereabouts {
    return this.givers()[0];
  }

  /** Where each giver stands at the replay's moment: thinking at a table, or on her way to it. */
  givers(): JuditWhereabouts[] {
    return this.giverMoves.map((moves, g) => {
      const next = this.nextOf[g];
      const coming = moves[next];
      if (!coming) return { table: null, activity: 'idle', since: this.played.finishedAt };
      const { table, move } = coming;
      if (move.startedAt <= this.at) return { table, activity: 'thinking', since: move.startedAt };
      return { table, activity: 'walking', since: moves[next - 1]?.move.movedAt ?? this.played.startedAt };
    });
  }

  giverOf(table: number): number {
    return giverOf(table, this.played.boards.length, this.played.givers);
  }

  now(): number {
    return this.at;
  }

  running(): boolean {
    return !this.done;
  }
}
