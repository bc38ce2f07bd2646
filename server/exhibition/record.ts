import type { ExhibitionConfig } from '../../shared/config.js';
import type { BoardClocks, Color, ExhibitionStatus, GameEnd, JuditWhereabouts, MoveRecord, StopReason } from '../../shared/domain.js';

/** What a store keeps of an exhibition besides its boards: enough to carry on after a restart. */
export interface ExhibitionHeader {
  config: ExhibitionConfig;
  status: ExhibitionStatus;
  startedAt: number | null;
  finishedAt: number | null;
  pausedAt: number | null;
  pausedMs: number;
  juditBusyMs: number;
  juditWalkMs: number;
  /** Absent from headers written before it was kept (those mean 0). */
  engineLateMoves?: number;
  opponentThinkMs: number;
  opponentMoves: number;
  /** Every giver's whereabouts (Judit's first) and times; absent from headers written before there were several. */
  givers?: JuditWhereabouts[];
  giverBusyMs?: number[];
  giverWalkMs?: number[];
  /** Judit's whereabouts, in headers written before there were several givers (later ones have `givers` alone). */
  judit?: JuditWhereabouts;
  /** Why an aborted exhibition ended; absent from headers written before it was kept (those mean 'aborted'). */
  stoppedAs?: StopReason | null;
  /** When this header was written: a restart counts the time since as a pause. */
  savedAt: number;
}

/** One board's state besides its moves. */
export interface BoardState {
  table: number;
  opponent: string;
  juditColor: Color;
  startFen: string;
  end: GameEnd | null;
  turnSince: number;
  passes: number;
  drawOffered: boolean;
  hopelessMoves: number;
  /** Absent from boards written before clocks were kept (those had none). */
  clocks?: BoardClocks | null;
}

export interface ExhibitionRecord {
  id: string;
  createdAt: number;
  header: ExhibitionHeader;
  boards: { state: BoardState; moves: MoveRecord[] }[];
}

/** A stored header's settings, with those that came later set as the older headers had them: none. */
export function storedConfig(header: ExhibitionHeader): ExhibitionConfig {
  return {
    ...header.config,
    clock: header.config.clock ?? null,
    description: header.config.description ?? '',
    givers: header.config.givers ?? 1,
  };
}

/** Why a stored exhibition ended; headers written before it was kept mean 'aborted' for an aborted one. */
export function storedStoppedAs(header: ExhibitionHeader): StopReason | null {
  return header.stoppedAs ?? (header.status === 'aborted' ? 'aborted' : null);
}

/** A stored header's givers' whereabouts: older headers kept Judit's alone; one with neither is damaged. */
export function storedGivers(header: ExhibitionHeader): JuditWhereabouts[] {
  const givers = header.givers ?? (header.judit && [header.judit]);
  if (!givers?.length) throw new Error('the header says nowhere where Judit is');
  return givers;
}
