/** Domain types shared by the server and the browser. Times are milliseconds on the exhibition's clock. */
import type { ClockSetting } from './config.js';

export type Color = 'white' | 'black';

export type ExhibitionStatus = 'open' | 'running' | 'paused' | 'finished' | 'aborted';

/** `*` is a game left unfinished: the exhibition was aborted, or Judit's engine failed on it. */
export type GameResult = '1-0' | '0-1' | '1/2-1/2' | '*';

export type EndReason =
  | 'checkmate'
  | 'stalemate'
  | 'threefoldRepetition'
  | 'fiftyMoveRule'
  | 'insufficientMaterial'
  | 'resignation'
  | 'agreement'
  | 'forfeitTime'
  /** A chess clock ran out: the flag fell. */
  | 'flag'
  | 'forfeitPasses'
  | 'kicked'
  | 'adjudication'
  | 'aborted'
  | 'abandoned'
  /** Judit's engine could not answer in this position, even from a fresh start. */
  | 'engineFailure';

/** Why an exhibition ended before its games did: its host ended it, or nobody attended it. */
export type StopReason = Extract<EndReason, 'aborted' | 'abandoned'>;

/** A board's two sides: `judit` is the giver's, Judit's or her sister's whose section the board is in. */
export type Side = 'judit' | 'opponent';

/** What a giver (Judit, or each of her sisters) is doing right now. */
export type JuditActivity = 'idle' | 'walking' | 'thinking' | 'waiting' | 'resting';

export interface GameEnd {
  result: GameResult;
  reason: EndReason;
  /** The side that won, or null for a draw or an unfinished game. */
  winner: Side | null;
  at: number;
}

/** One accepted move with the times that make the statistics and the timeline. */
export interface MoveRecord {
  ply: number;
  uci: string;
  san: string;
  by: Side;
  /** When this side got the move (the other side's previous move, or the start). */
  readyAt: number;
  /** When the mover began: Judit's arrival at the table, the opponent's readyAt. */
  startedAt: number;
  movedAt: number;
  /** The mover's clock after the move, increment included; absent when the board has no clocks. */
  clockMs?: number;
}

/**
 * The two clocks of one board in milliseconds left. The side to move's clock was at this value
 * when it got the move (`turnSince`) and runs down from there; the other's stands.
 */
export interface BoardClocks {
  judit: number;
  opponent: number;
}

/** Compact projection of one board for spectators and the lobby. */
export interface BoardSummary {
  table: number;
  opponent: string;
  juditColor: Color;
  fen: string;
  lastMove: string | null;
  turn: Color;
  ply: number;
  end: GameEnd | null;
  drawOffered: boolean;
  passes: number;
  /** When the side to move got the move. */
  turnSince: number;
  /** Null on an exhibition without clocks. */
  clocks: BoardClocks | null;
}

/** Where one giver is; an exhibition has one per giver, Judit's first. */
export interface JuditWhereabouts {
  /** The table she is at or walking to; null before the start. */
  table: number | null;
  activity: JuditActivity;
  since: number;
}

/** When the giver of a table (Judit, or a sister walking that section) reaches it at the latest. */
export interface Eta {
  table: number;
  /** Who comes: 0 is Judit. */
  giver: number;
  tablesAhead: number;
  /** Milliseconds from now; null while the opponent there has not moved: she comes once they have. */
  ms: number | null;
}

export interface ResultsTally {
  /** From Judit's side: games she won, drew and lost. */
  wins: number;
  draws: number;
  losses: number;
  unfinished: number;
}

export interface ExhibitionStats {
  now: number;
  /** Running time since the start, pauses excluded. */
  elapsedMs: number;
  juditBusyMs: number;
  juditWalkMs: number;
  /** Judit's moves from a search cut short at her think time, the server's engines all busy. */
  engineLateMoves: number;
  /** Busy time over elapsed time, 0..1: with several givers, their average. */
  juditUtilisation: number;
  /** Both sides' thinking summed over every board: the time of playing the games one after another. */
  sequentialMs: number;
  /** sequentialMs / elapsedMs. */
  speedup: number;
  movesPlayed: number;
  opponentMoves: number;
  /** Average time an opponent took per move so far, or null before any. */
  opponentAvgMs: number | null;
  results: ResultsTally;
  /** This exhibition in the lesson's terms, once an opponent has moved. */
  lesson: LessonFigures | null;
  /** Each giver's own figures, Judit's first; the totals above sum them. */
  givers: GiverStats[];
}

/** One giver's share of the work. */
export interface GiverStats {
  /** Her first and last table; `to` < `from` when there are more givers than tables. */
  from: number;
  to: number;
  busyMs: number;
  walkMs: number;
  /** Her busy time over the elapsed time, 0..1. */
  utilisation: number;
}

/** The inputs of the ideal-time formula as measured here, and what the formula makes of them. */
export interface LessonFigures {
  boards: number;
  /** Givers at once, each over her section; the ideal is that of the longest section. */
  givers: number;
  juditSeconds: number;
  /** The opponents' measured average per move. */
  opponentSeconds: number;
  /** Move pairs per board so far (an average). */
  movePairs: number;
  /** Her walk from one table to the next, as the host set it. */
  walkSeconds: number;
  crossoverBoards: number;
  /** The ideal time for the moves played so far; compare with the elapsed time. */
  idealSeconds: number;
}

export interface ExhibitionSummary {
  id: string;
  name: string;
  status: ExhibitionStatus;
  seatsTaken: number;
  seatsFree: number;
  elo: number | null;
  thinkSeconds: number;
  /** The host's plain-text description. */
  description: string;
  clock: ClockSetting | null;
  results: ResultsTally;
  createdAt: number;
  /** Why an aborted exhibition ended; null for every other status. */
  stoppedAs: StopReason | null;
  /** Set when its stored record could not be read back: it is listed, and served to no one. */
  damaged?: boolean;
}
