/**
 * The arithmetic of the lesson, in one place for the simulator, the server's statistics and the
 * browser's charts: N boards, Judit's time j and an opponent's time o per move, M move pairs.
 */
export interface LessonInputs {
  boards: number;
  juditSeconds: number;
  opponentSeconds: number;
  movePairs: number;
}

/** The ideal exhibition: T = (M−1)·max(N·j, j+o) + N·j + o. */
export function idealSeconds({ boards: n, juditSeconds: j, opponentSeconds: o, movePairs: m }: LessonInputs): number {
  return (m - 1) * Math.max(n * j, j + o) + n * j + o;
}

/** Every game played one after another: N·M·(j+o). */
export function sequentialSeconds({ boards: n, juditSeconds: j, opponentSeconds: o, movePairs: m }: LessonInputs): number {
  return n * m * (j + o);
}

/** N* = (j+o)/j: below it Judit waits on her opponents, above it she is the bottleneck. */
export function crossoverBoards({ juditSeconds: j, opponentSeconds: o }: Pick<LessonInputs, 'juditSeconds' | 'opponentSeconds'>): number {
  return (j + o) / j;
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
export function crossoverCaption(inputs: Pick<LessonInputs, 'juditSeconds' | 'opponentSeconds'>): string {
  const n = crossoverBoards(inputs);
  const shown = Number.isInteger(n) ? String(n) : n.toFixed(1);
  return `Above ${shown} boards Judit is the bottleneck: every board added makes the exhibition longer. Below it she waits on her opponents.`;
}
