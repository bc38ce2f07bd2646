import type { VisitOrder } from '../../shared/config.js';
import type { Result } from '../../shared/errors.js';
import type { Clock } from '../clock/clock.js';
import type { Board } from '../exhibition/board.js';
import type { Exhibition } from '../exhibition/exhibition.js';
import type { Brain, Thought } from './brain.js';
import { acceptsDraw } from './policy.js';

/**
 * How the loop changes the exhibition: each of her commands goes to whoever owns it (the room's
 * queue, in turn with every other command) and is awaited. She reads the exhibition directly.
 */
export type Act = <T extends object>(command: (exh: Exhibition) => Result<T>) => Promise<Result<T>>;

export interface JuditDeps {
  clock: Clock;
  brain: Brain;
  act: Act;
  /** Stops her as the exhibition's stopping does: its room is disposed or rebuilt. */
  stop?: AbortSignal;
  /** Told when the brain failed at a table twice, the second time afresh, and that game was ended. */
  onEngineFailure?: (table: number, error: unknown) => void;
}

/** What Judit's loop did, for tests and the simulator: visits must not grow while she rests. */
export interface JuditCounters {
  visits: number;
  thinks: number;
  rests: number;
}

/** On a clock, she spends at most this share of what is left on a board's clock on one move there. */
const CLOCK_SHARE = 1 / 20;

export function newCounters(): JuditCounters {
  return { visits: 0, thinks: 0, rests: 0 };
}

/**
 * The givers' walk while the exhibition runs: each over her own section, one table at a time, one
 * move at a time, all at once. Returns when it stops running (pause, finish, abort), promptly: every
 * wait is cut short by the run signal.
 */
export async function runJudit(exh: Exhibition, deps: JuditDeps, counters: JuditCounters = newCounters()): Promise<void> {
  const signal = deps.stop ? AbortSignal.any([exh.runSignal, deps.stop]) : exh.runSignal;
  const { clock, act } = deps;
  // a giver's loop that fails stops the others with it: the exhibition needs them all
  const failed = new AbortController();
  const all = AbortSignal.any([signal, failed.signal]);
  /**
   * The arbiter beside them: ends a game the instant its flag falls or its move limit runs out,
   * also while its giver thinks at another table.
   */
  const arbitrate = async () => {
    while (!all.aborted) {
      await act((x) => ({ ok: true, forfeited: x.forfeitOverdue() }));
      const at = exh.nextDeadline();
      await race(all, (s) => exh.acted(s), at === null ? null : (s) => clock.sleep(at - clock.now(), s));
    }
  };
  const loops = exh.givers.map((_, giver) =>
    runGiver(exh, giver, deps, all, counters).catch((error: unknown) => {
      failed.abort();
      throw error;
    }),
  );
  await Promise.all([arbitrate(), ...loops]);
}

/** One giver's walk over her section of the tables. */
async function runGiver(
  exh: Exhibition,
  giver: number,
  { clock, brain, act, onEngineFailure }: JuditDeps,
  signal: AbortSignal,
  counters: JuditCounters,
): Promise<void> {
  const at = (table: number | null, activity: Exhibition['judit']['activity']) => act((x) => x.juditAt(table, activity, giver));
  const forfeitOverdue = () => act((x) => ({ ok: true, forfeited: x.forfeitOverdue() }));
  const { walkSeconds, patienceSeconds, thinkSeconds, elo, order } = exh.config;
  const walkMs = walkSeconds * 1000;
  const patienceMs = patienceSeconds * 1000;
  const mine = () => exh.section(giver);
  // after a pause she goes back to the table she was at, or was walking to (and walks there again)
  const start = exh.givers[giver];
  let resumeAt = start.table;
  let here = start.activity === 'walking' ? null : resumeAt;
  let arrivedAt = clock.now(); // her time at a table counts from when she got there

  /** Until an opponent acts or the next move limit runs out, or until `until` when given. */
  const pause = async (until: number | null) => {
    const deadline = exh.nextDeadline();
    const wake = until === null ? deadline : deadline === null ? until : Math.min(until, deadline);
    await race(signal, (s) => exh.acted(s), wake === null ? null : (s) => clock.sleep(wake - clock.now(), s));
  };

  /** When her think at `board` from `startedAt` ends: her think time, shorter when that board's clock runs low. */
  const thinkEnds = (board: Board, startedAt: number): number => {
    const full = startedAt + thinkSeconds * 1000;
    const flagAt = board.flagAt;
    return flagAt === null ? full : Math.min(full, startedAt + Math.max(0, flagAt - startedAt) * CLOCK_SHARE);
  };

  const ask = (board: Board, thinkEnds: number): Promise<Thought> =>
    brain.think({
      startFen: board.startFen,
      moves: board.moves.map((m) => m.uci),
      fen: board.chess.fen(),
      table: board.table,
      giver,
      // what she spent since arriving (the bookkeeping of her last move) comes off her think time
      thinkMs: Math.max(0, thinkEnds - clock.now()),
      elo,
      signal,
    });

  /**
   * Her thought once her think time is over: an engine stops at its node budget, often early, and
   * the clock makes her think time. Null when the exhibition stopped meanwhile.
   */
  const hold = async (thought: Thought, thinkEnds: number): Promise<Thought | null> => {
    if (clock.now() < thinkEnds) await clock.sleep(thinkEnds - clock.now(), signal);
    if (signal.aborted) return null;
    if (thought.late) await act((x) => x.juditEngineLate());
    return thought;
  };

  /**
   * Her thought, or null when the exhibition stopped meanwhile. A brain that fails is asked once
   * more from a fresh start; failing again ends that game unfinished, and she walks on to the others.
   * A brain that cannot start afresh fails the loop itself: that is the engine's fault, not the game's.
   */
  const think = async (board: Board, startedAt: number): Promise<Thought | null> => {
    counters.thinks++;
    await at(board.table, 'thinking');
    const ply = board.ply;
    const ends = thinkEnds(board, startedAt);
    for (let attempt = 0; ; attempt++) {
      try {
        const thought = await ask(board, ends);
        return signal.aborted ? null : await hold(thought, ends);
      } catch (error) {
        if (signal.aborted) return null;
        if (attempt === 0) {
          await brain.reset?.();
          continue;
        }
        if ((await act((x) => x.juditFailed(board.table, ply))).ok) onEngineFailure?.(board.table, error);
        return null;
      }
    }
  };

  /**
   * She thinks and moves, answers a pending draw offer, or resigns a hopeless game. Returns when she
   * was done: the bookkeeping after that instant counts towards her next table, not this one.
   */
  const play = async (board: Board): Promise<number> => {
    const startedAt = arrivedAt;
    const ply = board.ply;
    const thought = await think(board, startedAt);
    const doneAt = clock.now();
    if (!thought || board.over) return doneAt;
    const decided = await act((x) => decide(x, board.table, ply, thought, startedAt));
    return decided.ok && decided.movedAt !== null ? decided.movedAt : doneAt;
  };

  /**
   * At a table whose opponent has not moved: she stays while no other table needs her (walking on
   * would only make her late for this one), and once another does, waits up to her patience.
   */
  const attend = async (board: Board) => {
    let patienceEnds: number | null = null;
    let resting = false;
    while (!signal.aborted && board.opponentToMove) {
      if (!needsJudit(mine())) {
        patienceEnds = null;
        if (!resting) {
          resting = true;
          counters.rests++;
          await at(board.table, 'resting');
        }
        await pause(null);
      } else {
        if (patienceEnds === null) {
          resting = false;
          patienceEnds = clock.now() + patienceMs;
          await at(board.table, 'waiting');
        }
        if (clock.now() >= patienceEnds) return;
        await pause(patienceEnds);
      }
      await forfeitOverdue();
    }
  };

  while (!signal.aborted) {
    await forfeitOverdue();
    if (signal.aborted) break;
    // before her first table, with no one needing her (she has black), she rests where she stands
    const section = mine();
    const board = here === null && !needsJudit(section) ? null : nextBoard(section, order, resumeAt ?? here, resumeAt !== null);
    resumeAt = null;
    if (!board) {
      // a move in another giver's section wakes her too: she says she rests only once
      const now = exh.givers[giver];
      if (now.activity !== 'resting' || now.table !== here) {
        counters.rests++;
        await at(here, 'resting');
      }
      await pause(null);
      arrivedAt = clock.now();
      continue;
    }
    counters.visits++;
    if (walkMs > 0 && board.table !== here) {
      await at(board.table, 'walking');
      await clock.sleep(walkMs, signal);
      if (signal.aborted) break;
      await act((x) => x.juditWalked(walkMs, giver));
      arrivedAt = clock.now();
    }
    here = board.table;
    if (board.over) continue;
    if (board.opponentToMove) {
      await attend(board);
      arrivedAt = clock.now(); // her think starts when the opponent's move came
    }
    if (signal.aborted) break;
    if (board.juditToMove) {
      // she moved, answered a draw offer or resigned: the next table's time starts then
      arrivedAt = await play(board);
    } else if (!board.over && overdue(exh, section, board, thinkSeconds + walkSeconds)) {
      await act((x) => x.pass(board.table));
    }
  }
}

/**
 * What she does with a thought at `table`, as one command: answers a pending draw offer, resigns a
 * hopeless game, or moves. Says when she moved; a move refused because the position moved on
 * meanwhile (the opponent resigned) leaves nothing to do.
 */
function decide(exh: Exhibition, table: number, ply: number, thought: Thought, startedAt: number): Result<{ movedAt: number | null }> {
  const board = exh.board(table);
  if (!board || board.over) return { ok: true, movedAt: null };
  if (board.drawOffered) {
    const accept = acceptsDraw(exh.config, board, thought.scoreCp);
    const answered = exh.answerDraw(table, accept, startedAt);
    if (!answered.ok) return answered;
    if (accept) return { ok: true, movedAt: null };
  }
  const hopeless = exh.countHopeless(table, thought.scoreCp);
  if (!hopeless.ok) return hopeless;
  if (hopeless.resign) {
    const resigned = exh.juditResign(table, ply, startedAt);
    return resigned.ok ? { ok: true, movedAt: null } : resigned;
  }
  const moved = exh.juditMove(table, ply, thought.move, startedAt);
  return { ok: true, movedAt: moved.ok ? moved.move.movedAt : null };
}

/** The next unfinished table of `boards` after `here` (or from it, when `inclusive`) in table order, wrapping round. */
function nextInTable(boards: readonly Board[], here: number | null, inclusive = false): Board | null {
  let start = 0;
  if (here !== null) {
    start = boards.findIndex((b) => (inclusive ? b.table >= here : b.table > here));
    if (start === -1) start = 0;
  }
  for (let i = 0; i < boards.length; i++) {
    const b = boards[(start + i) % boards.length];
    if (!b.over) return b;
  }
  return null;
}

/** Where she goes next in her section: the next table in table order, or the most urgent one (see below). */
function nextBoard(section: readonly Board[], order: VisitOrder, here: number | null, inclusive: boolean): Board | null {
  if (order === 'table') return nextInTable(section, here, inclusive);
  return mostUrgent(section) ?? firstToAnswer(section);
}

/**
 * A pass: she leaves a table whose opponent has still not moved although they have had at least a
 * full round of hers (every open game of her section: its think and walk) since her last move there.
 */
function overdue(exh: Exhibition, section: readonly Board[], board: Board, perTableSeconds: number): boolean {
  const open = section.filter((b) => !b.over).length;
  return exh.now() - board.turnSince >= open * perTableSeconds * 1000;
}

function needsJudit(section: readonly Board[]): boolean {
  return section.some((b) => b.juditToMove);
}

/** The board that has waited longest for her move, or null when none needs her. */
function mostUrgent(section: readonly Board[]): Board | null {
  let best: Board | null = null;
  for (const b of section) {
    if (b.juditToMove && (!best || b.turnSince < best.turnSince)) best = b;
  }
  return best;
}

/** With no one needing her, the table whose opponent has thought longest: the likeliest to move next. */
function firstToAnswer(section: readonly Board[]): Board | null {
  let best: Board | null = null;
  for (const b of section) {
    if (b.opponentToMove && (!best || b.turnSince < best.turnSince)) best = b;
  }
  return best;
}

/** Waits for the first of several abortable waits, then cancels the others. */
async function race(
  signal: AbortSignal,
  ...waits: (((s: AbortSignal) => Promise<void>) | null)[]
): Promise<void> {
  const local = new AbortController();
  const stop = () => local.abort();
  signal.addEventListener('abort', stop, { once: true });
  try {
    await Promise.race(waits.filter((w) => w !== null).map((w) => w(local.signal)));
  } finally {
    signal.removeEventListener('abort', stop);
    local.abort();
  }
}
