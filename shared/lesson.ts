import { sectionSizes } from './givers.js';

/**
 * The arithmetic of the lesson, in one place for the simulator, the server's statistics and the
 * browser's charts: N boards, Judit's time j and an opponent's time o per move, M move pairs, and
 * w seconds for her walk from one table to the next.
 */
export interface LessonInputs {
  boards: number;
  juditSeconds: number;
  opponentSeconds: number;
  movePairs: number;
  /** Her walk from one table to the next; 0 when the tables are side by side. */
  walkSeconds?: number;
}

/**
 * The ideal exhibition: T = (M−1)·max(N·(j+w′), j+o) + N·(j+w) + o, with w′ = w when N > 1 and
 * w′ = 0 for a single board (she never leaves it again).
 *
 * The first round costs her a walk and a think at every table, N·(j+w), and the last opponent's
 * answer o. Every later round is paced by the slower of the two: her round of N tables, or one
 * opponent's cycle j+o: she walks to the next table while its opponent still thinks, so the walk
 * costs nothing when the opponents are the bottleneck. Her patience does not appear: she waits out
 * her patience only while another table needs her, which never happens while every opponent takes
 * the same time.
 */
export function idealSeconds({ boards: n, juditSeconds: j, opponentSeconds: o, movePairs: m, walkSeconds: w = 0 }: LessonInputs): number {
  const roundWalk = n > 1 ? w : 0;
  return (m - 1) * Math.max(n * (j + roundWalk), j + o) + n * (j + w) + o;
}

/**
 * A clock simul: how much of Judit's clock one board uses. Her clock there runs the whole exhibition
 * but its opponent's turns, and gains an increment a move: T − M·(o + inc). Her clocks drain in
 * parallel, so above the crossover that is about N times one game's M·j.
 */
export function juditClockSeconds(inputs: LessonInputs, incrementSeconds: number): number {
  return Math.max(0, idealSeconds(inputs) - inputs.movePairs * (inputs.opponentSeconds + incrementSeconds));
}

/**
 * The same on games of different lengths (`pairs`: the move pairs of each game): a later round is
 * paced by the games still going, n_r, so T = Σ_{r≥2} max(n_r·(j+w′), j+o) + N·(j+w) + o, with
 * w′ = 0 once a single game is left. With every game M pairs long it is `idealSeconds`.
 */
export function idealSecondsOfGames(
  { juditSeconds: j, opponentSeconds: o, walkSeconds: w = 0 }: Omit<LessonInputs, 'boards' | 'movePairs'>,
  pairs: readonly number[],
): number {
  const longest = Math.max(0, ...pairs);
  let total = pairs.length * (j + w) + o;
  for (let round = 2; round <= longest; round++) {
    const going = pairs.filter((p) => p >= round).length;
    total += Math.max(going * (j + (going > 1 ? w : 0)), j + o);
  }
  return total;
}

/** Every game played one after another: N·M·(j+o). */
export function sequentialSeconds({ boards: n, juditSeconds: j, opponentSeconds: o, movePairs: m }: LessonInputs): number {
  return n * m * (j + o);
}

/** N* = (j+o)/(j+w): below it Judit waits on her opponents, above it she is the bottleneck. */
export function crossoverBoards({
  juditSeconds: j,
  opponentSeconds: o,
  walkSeconds: w = 0,
}: Pick<LessonInputs, 'juditSeconds' | 'opponentSeconds' | 'walkSeconds'>): number {
  return (j + o) / (j + w);
}

export interface CurvePoint {
  boards: number;
  idealSeconds: number;
  sequentialSeconds: number;
}

/** Exhibition time against the number of boards, 1..maxBoards. */
export function crossoverCurve(inputs: LessonInputs, maxBoards: number): CurvePoint[] {
  return Array.from({ length: Math.max(1, maxBoards) }, (_, i) => {
    const at = { ...inputs, boards: i + 1 };
    return { boards: i + 1, idealSeconds: idealSeconds(at), sequentialSeconds: sequentialSeconds(at) };
  });
}

/** The crossover in plain words. */
export function crossoverCaption(inputs: Pick<LessonInputs, 'juditSeconds' | 'opponentSeconds' | 'walkSeconds'>): string {
  const n = crossoverBoards(inputs);
  const shown = Number.isInteger(n) ? String(n) : n.toFixed(1);
  return `Above ${shown} boards Judit is the bottleneck: every board added makes the exhibition longer. Below it she waits on her opponents.`;
}

/**
 * k givers at once, each walking her own section of ⌈N/k⌉ or ⌊N/k⌋ tables as an exhibition of its
 * own: the exhibition lasts as long as its longest section.
 */
export function idealSecondsForGivers(inputs: LessonInputs, givers: number): number {
  return idealSeconds({ ...inputs, boards: longestSection(inputs.boards, givers) });
}

/** k givers, each playing the games of her section one after another: ⌈N/k⌉·M·(j+o). */
export function sectionSequentialSeconds(inputs: LessonInputs, givers: number): number {
  return sequentialSeconds({ ...inputs, boards: longestSection(inputs.boards, givers) });
}

function longestSection(boards: number, givers: number): number {
  return Math.max(1, Math.ceil(boards / Math.max(1, givers)));
}

/** One way of playing N games, in the lesson's terms. */
export interface Way {
  kind: 'sequential' | 'async' | 'parallel' | 'parallelSequential';
  /** Givers playing: 1, or k. */
  givers: number;
  seconds: number;
  /** One after another's time over this one's. */
  speedup: number;
  /** The share of the time each giver is busy thinking, 0..1, one per giver. */
  busy: number[];
}

/**
 * The same N games four ways: one after another; one giver table to table (concurrency); k givers at
 * once, each table to table over her section (concurrency and parallelism); k givers at once, each
 * playing her section's games one after another (parallelism alone).
 */
export function fourWays(inputs: LessonInputs, givers: number): Way[] {
  const { boards: n, juditSeconds: j, movePairs: m } = inputs;
  const sizes = sectionSizes(n, givers);
  const serial = sequentialSeconds(inputs);
  const way = (kind: Way['kind'], k: number, seconds: number, tables: number[]): Way => ({
    kind,
    givers: k,
    seconds,
    speedup: seconds > 0 ? serial / seconds : 0,
    busy: tables.map((t) => (seconds > 0 ? Math.min(1, (t * m * j) / seconds) : 0)),
  });
  return [
    way('sequential', 1, serial, [n]),
    way('async', 1, idealSeconds(inputs), [n]),
    way('parallel', givers, idealSecondsForGivers(inputs, givers), sizes),
    way('parallelSequential', givers, sectionSequentialSeconds(inputs, givers), sizes),
  ];
}

/** The ways in words, for tables and panels. */
export const WAY_NAMES: Record<Way['kind'], string> = {
  sequential: 'one after another',
  async: 'one giver, table to table',
  parallel: 'givers at once, each table to table',
  parallelSequential: 'givers at once, each one game after another',
};

/** Exhibition time against the number of boards for k givers, 1..maxBoards. */
export function giversCurve(inputs: LessonInputs, maxBoards: number, givers: number): { boards: number; idealSeconds: number }[] {
  return Array.from({ length: Math.max(1, maxBoards) }, (_, i) => ({
    boards: i + 1,
    idealSeconds: idealSecondsForGivers({ ...inputs, boards: i + 1 }, givers),
  }));
}
