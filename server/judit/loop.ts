import type { Clock } from '../clock/clock.js';
import type { Board } from '../exhibition/board.js';
import type { Exhibition } from '../exhibition/exhibition.js';
import type { Brain, Thought } from './brain.js';
import { acceptsDraw } from './policy.js';

export interface JuditDeps {
  clock: Clock;
  brain: Brain;
  /** Told when the brain failed at a table twice, the second time afresh, and that game was ended. */
  onEngineFailure?: (table: number, error: unknown) => void;
}

/** What Judit's loop did, for tests and the simulator: visits must not grow while she rests. */
export interface JuditCounters {
  visits: number;
  thinks: number;
  rests: number;
}

export function newCounters(): JuditCounters {
  return { visits: 0, thinks: 0, rests: 0 };
}

/**
 * Judit's walk while the exhibition runs: one table at a time, one move at a time. Returns when it
 * stops running (pause, finish, abort), promptly: every wait is cut short by the run signal.
 */
export async function runJudit(
  exh: Exhibition,
  { clock, brain, onEngineFailure }: JuditDeps,
  counters: JuditCounters = newCounters(),
): Promise<void> {
  const signal = exh.runSignal;
  const { walkSeconds, patienceSeconds, thinkSeconds, elo, order } = exh.config;
  const walkMs = walkSeconds * 1000;
  const patienceMs = patienceSeconds * 1000;
  // after a pause she goes back to the table she was at, or was walking to (and walks there again)
  let resumeAt = exh.judit.table;
  let here = exh.judit.activity === 'walking' ? null : resumeAt;
  // visits in a row at which no one needed her; when no one needs her as she starts, she rests at
  // once rather than charging every opponent a pass before they could move
  let idleVisits = needsJudit(exh) ? 0 : exh.openGames;
  let arrivedAt = clock.now(); // her time at a table counts from when she got there

  const rest = async () => {
    counters.rests++;
    exh.juditAt(here, 'resting');
    idleVisits = 0;
    const deadline = exh.nextDeadline();
    await race(signal, (s) => exh.opponentActed(s), deadline === null ? null : (s) => clock.sleep(deadline - clock.now(), s));
    arrivedAt = clock.now();
  };

  const ask = (board: Board, startedAt: number): Promise<Thought> =>
    brain.think({
      startFen: board.startFen,
      moves: board.moves.map((m) => m.uci),
      fen: board.chess.fen(),
      // what she spent since arriving (the bookkeeping of her last move) comes off her think time
      thinkMs: Math.max(0, startedAt + thinkSeconds * 1000 - clock.now()),
      elo,
      signal,
    });

  /**
   * Her thought, or null when the exhibition stopped meanwhile. A brain that fails is asked once
   * more from a fresh start; failing again ends that game unfinished, and she walks on to the others.
   * A brain that cannot start afresh fails the loop itself: that is the engine's fault, not the game's.
   */
  const think = async (board: Board, startedAt: number): Promise<Thought | null> => {
    counters.thinks++;
    exh.juditAt(board.table, 'thinking');
    const ply = board.ply;
    for (let attempt = 0; ; attempt++) {
      try {
        const thought = await ask(board, startedAt);
        return signal.aborted ? null : thought;
      } catch (error) {
        if (signal.aborted) return null;
        if (attempt === 0) {
          await brain.reset?.();
          continue;
        }
        if (exh.juditFailed(board.table, ply).ok) onEngineFailure?.(board.table, error);
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
    if (board.drawOffered) {
      const accept = acceptsDraw(exh.config, board, thought.scoreCp);
      exh.answerDraw(board.table, accept, startedAt);
      if (accept) return doneAt;
    }
    if (exh.judgeHopeless(board.table, thought.scoreCp)) {
      exh.juditResign(board.table, ply, startedAt);
      return doneAt;
    }
    // refused only if the position moved on meanwhile (the opponent resigned): nothing to do then
    const moved = exh.juditMove(board.table, ply, thought.move, startedAt);
    return moved.ok ? moved.move.movedAt : doneAt;
  };

  /** Waits at the table up to her patience for the opponent to move. */
  const wait = async (board: Board) => {
    exh.juditAt(board.table, 'waiting');
    const until = clock.now() + patienceMs;
    while (!signal.aborted && board.opponentToMove && clock.now() < until) {
      await race(signal, (s) => exh.opponentActed(s), (s) => clock.sleep(until - clock.now(), s));
    }
  };

  while (!signal.aborted) {
    exh.forfeitOverdue();
    if (signal.aborted) break;
    const board = order === 'urgent' ? mostUrgent(exh) : nextInTable(exh, resumeAt ?? here, resumeAt !== null);
    resumeAt = null;
    // a table that became ready behind her while she walked or waited keeps her going round
    if (!board || (idleVisits >= exh.openGames && !needsJudit(exh))) {
      await rest();
      continue;
    }
    counters.visits++;
    if (walkMs > 0 && board.table !== here) {
      exh.juditAt(board.table, 'walking');
      await clock.sleep(walkMs, signal);
      if (signal.aborted) break;
      exh.juditWalked(walkMs);
      arrivedAt = clock.now();
    }
    const from = here;
    here = board.table;
    if (board.over) continue;
    const waits = board.opponentToMove && patienceMs > 0;
    if (waits) {
      await wait(board);
      arrivedAt = clock.now(); // her think starts when the opponent's move came
    }
    if (signal.aborted) break;
    if (board.juditToMove) {
      idleVisits = 0;
      // she moved, answered a draw offer or resigned: the next table's time starts then
      arrivedAt = await play(board);
    } else if (!board.over) {
      idleVisits++;
      // a pass is an opponent found not ready when she came or waited: not the instant after her own
      // move at the one table left, which she never left
      if (board.table !== from || waits) exh.pass(board.table);
    }
  }
}

/** Starts Judit's loop whenever the exhibition starts or resumes. Returns a function to stop watching. */
export function employJudit(exh: Exhibition, deps: JuditDeps, onError: (error: unknown) => void, counters?: JuditCounters): () => void {
  const launch = () => void runJudit(exh, deps, counters).catch(onError);
  if (exh.status === 'running') launch();
  return exh.on((event) => {
    if (event.type === 'status' && event.status === 'running') launch();
  });
}

/** The next unfinished table after `here` (or from it, when `inclusive`) in table order, wrapping round. */
function nextInTable(exh: Exhibition, here: number | null, inclusive = false): Board | null {
  const boards = exh.boards;
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

function needsJudit(exh: Exhibition): boolean {
  return exh.boards.some((b) => b.juditToMove);
}

/** The board that has waited longest for Judit's move, or null when none needs her. */
function mostUrgent(exh: Exhibition): Board | null {
  let best: Board | null = null;
  for (const b of exh.boards) {
    if (b.juditToMove && (!best || b.turnSince < best.turnSince)) best = b;
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
