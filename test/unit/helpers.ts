/** Shared test fixtures for the exhibition core: everything runs on a VirtualClock. */
import { Chess } from 'chess.js';
import { parseConfig, type ExhibitionConfigInput } from '../../shared/config.js';
import type { ExhibitionEvent } from '../../shared/events.js';
import type { Clock } from '../../server/clock/clock.js';
import { VirtualClock } from '../../server/clock/virtual.js';
import { Exhibition } from '../../server/exhibition/exhibition.js';
import type { Brain, ThinkRequest, Thought } from '../../server/judit/brain.js';
import { chooseMove, FastBrain, seededRandom } from '../../server/judit/fast-brain.js';
import { newCounters, type JuditCounters } from '../../server/judit/loop.js';
import { DirectPort } from '../../server/rooms/direct.js';

export const S = 1000;

/** A move for the side to move that does not end the game (when one exists), the same every time. */
export function quietMove(fen: string, seed = 7): string {
  return chooseMove(new Chess(fen), seededRandom(seed, fen), true).uci;
}

/**
 * A Brain stub: thinks exactly the time asked on the clock (cut short by the signal), plays the
 * scripted move or a quiet one, and reports the evaluation the test chose.
 */
export class StubBrain implements Brain {
  readonly requests: ThinkRequest[] = [];
  constructor(
    private readonly clock: Clock,
    private readonly options: { score?: (r: ThinkRequest) => number; move?: (r: ThinkRequest) => string } = {},
  ) {}

  async think(request: ThinkRequest): Promise<Thought> {
    this.requests.push(request);
    const move = this.options.move?.(request) ?? quietMove(request.fen, 3);
    const scoreCp = this.options.score?.(request) ?? 0;
    await this.clock.sleep(request.thinkMs, request.signal);
    return { move, scoreCp };
  }

  async close(): Promise<void> {}
}

/** A brain that follows whichever scripted game (moves in UCI, both sides) matches the game so far. */
export function scriptedBrain(clock: Clock, scripts: string[][], score = 0): StubBrain {
  return new StubBrain(clock, {
    score: () => score,
    move: (r) => {
      const script = scripts.find((m) => m.length > r.moves.length && m.slice(0, r.moves.length).join() === r.moves.join());
      return script ? script[r.moves.length] : quietMove(r.fen, 3);
    },
  });
}

export interface Setup {
  clock: VirtualClock;
  exh: Exhibition;
  /** Drives the exhibition as its room would: Judit's commands and the tests' go through it. */
  port: DirectPort;
  /** Every event so far, those of commands a test applied to the core directly too. */
  readonly events: ExhibitionEvent[];
  counters: JuditCounters;
  errors: unknown[];
}

/** An exhibition with `names` seated (one board each unless config says more), not yet started. */
export function setup(config: Partial<ExhibitionConfigInput> = {}, names = ['Ann', 'Bob', 'Cy']): Setup {
  const clock = new VirtualClock();
  const exh = new Exhibition('x', parseConfig({ boards: names.length, thinkSeconds: 5, ...config }), clock);
  for (const name of names) {
    const seat = exh.takeSeat(name);
    if (!seat.ok) throw new Error(seat.error.message);
  }
  exh.takeEvents(); // the seating is the setup, not what a test watches
  const port = new DirectPort(exh);
  const events: ExhibitionEvent[] = [];
  port.on((e) => events.push(e));
  return {
    clock,
    exh,
    port,
    get events() {
      port.announce();
      return events;
    },
    counters: newCounters(),
    errors: [],
  };
}

/** Puts Judit to work (she starts whenever the exhibition runs) with the given brain. */
export function employ(s: Setup, brain: Brain = new FastBrain({ clock: s.clock, prolong: true })): void {
  s.port.employ({ clock: s.clock, brain }, (e) => s.errors.push(e), s.counters);
}

/** Setup + employ + start. */
export function running(config: Partial<ExhibitionConfigInput> = {}, names?: string[], brain?: (clock: Clock) => Brain): Setup {
  const s = setup(config, names);
  employ(s, brain?.(s.clock));
  const started = s.port.run((x) => x.start());
  if (!started.ok) throw new Error(started.error.message);
  return s;
}

/**
 * Opponents who answer each of Judit's moves after `delayMs(table, ply)` (ply: the moves on the board
 * when Judit moved). Returns a stop function.
 */
export function opponents(s: Setup, delayMs: number | ((table: number, ply: number) => number | null)): () => void {
  const stop = new AbortController();
  const delay = typeof delayMs === 'number' ? () => delayMs : delayMs;
  const answer = (table: number, ply: number) => {
    const ms = delay(table, ply);
    if (ms === null) return;
    void s.clock.sleep(ms, stop.signal).then(() => {
      const board = s.exh.board(table)!;
      if (stop.signal.aborted || board.ply !== ply || !board.opponentToMove || s.exh.status !== 'running') return;
      const r = s.port.run((x) => x.move(table, ply, quietMove(board.chess.fen())));
      if (!r.ok) s.errors.push(new Error(`opponent ${table}: ${r.error.message}`));
    });
  };
  const off = s.port.on((e) => {
    if (e.type === 'move' && e.move.by === 'judit') answer(e.table, e.move.ply);
  });
  // boards where the opponent has white move first
  if (s.exh.status === 'running') for (const b of s.exh.boards) if (b.opponentToMove && b.ply === 0) answer(b.table, 0);
  return () => {
    stop.abort();
    off();
  };
}

/** The opponent at `table` plays a quiet move at virtual time `at`. */
export function moveAt(s: Setup, table: number, at: number): Promise<void> {
  return s.clock.sleep(at - s.clock.now()).then(() => {
    const board = s.exh.board(table)!;
    const r = s.port.run((x) => x.move(table, board.ply, quietMove(board.chess.fen())));
    if (!r.ok) s.errors.push(new Error(`opponent ${table} at ${at}: ${r.error.message}`));
  });
}

/** Judit's moves as [table, movedAt] in order. */
export function juditMoves(events: ExhibitionEvent[]): [number, number][] {
  return events.flatMap((e) => (e.type === 'move' && e.move.by === 'judit' ? [[e.table, e.move.movedAt] as [number, number]] : []));
}

/** The tables where Judit began thinking, in order. */
export function thinkingAt(events: ExhibitionEvent[]): number[] {
  return events.flatMap((e) => (e.type === 'judit' && e.judit.activity === 'thinking' ? [e.judit.table!] : []));
}

/** Everything a user could see of the exhibition, deep-copied for before/after comparisons. */
export function snapshot(exh: Exhibition): unknown {
  return structuredClone({
    status: exh.status,
    judit: exh.judit,
    boards: exh.boards.map((b) => ({ ...b.summary(), moves: b.moves, hopeless: b.hopelessMoves, pgn: b.chess.pgn() })),
    stats: exh.stats(),
    startedAt: exh.startedAt,
    finishedAt: exh.finishedAt,
    pausedAt: exh.pausedAt,
    pausedMs: exh.pausedMs,
    openGames: exh.openGames,
  });
}
