/** What Judit is asked at a table: the game so far and how long she may think. */
export interface ThinkRequest {
  /** Position the game started from, and every move since, in UCI: the engine sees the whole game. */
  startFen: string;
  moves: readonly string[];
  /** The current position (derivable from the above; given so simple brains need not replay). */
  fen: string;
  /** The table she thinks at, and which giver she is (0 is Judit): each giver has her own turn at the engines. */
  table?: number;
  giver?: number;
  thinkMs: number;
  /**
   * A node budget: the search stops there, or at thinkMs when that comes first. Her strength comes
   * from the budget; the clock, not the CPU, makes her think time.
   */
  nodes?: number;
  /** UCI_Elo to play at; null for full strength. */
  elo: number | null;
  /** Aborted when the exhibition stops running; the brain then stops thinking at once. */
  signal: AbortSignal;
}

export interface Thought {
  /** The chosen move in UCI. */
  move: string;
  /** The evaluation in centipawns from the mover's point of view (mates as ±100,000 less the distance). */
  scoreCp: number;
  /** The search was cut at her think time before its node budget: the engines were all busy. */
  late?: boolean;
}

/** Judit's chess mind: Stockfish in production, a fast deterministic one in tests and the simulator. */
export interface Brain {
  think(request: ThinkRequest): Promise<Thought>;
  /**
   * Starts afresh after a failed think (a new engine process); rejects when the brain cannot start
   * at all, which is then no fault of the position.
   */
  reset?(): Promise<void>;
  /** Releases what the brain holds (an engine process); safe to call twice. */
  close(): Promise<void>;
}

export const MATE_CP = 100_000;
