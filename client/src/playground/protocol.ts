/** What the page and the simulator's worker say to each other. */
import type { Color, GameEnd, MoveRecord } from '../../../shared/domain.js';
import type { SimulationParams, SimulationResult } from '../../../server/simulate/simulate.js';

export interface RunRequest {
  run: number;
  params: SimulationParams;
}

/** The exhibition as it was played, for the replay: every board's moves and its end. */
export interface Played {
  startedAt: number;
  finishedAt: number;
  /** Givers at once, each over her section of the boards. */
  givers: number;
  boards: { table: number; opponent: string; juditColor: Color; moves: MoveRecord[]; end: GameEnd | null }[];
}

export type RunReply =
  /** How far the virtual clock has come, in seconds of exhibition. */
  | { run: number; kind: 'progress'; simulatedSeconds: number }
  | { run: number; kind: 'done'; result: SimulationResult; played: Played }
  | { run: number; kind: 'failed'; message: string };
