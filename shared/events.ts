import type { ExhibitionConfig } from './config.js';
import type {
  BoardSummary,
  Color,
  ExhibitionStats,
  ExhibitionStatus,
  GameEnd,
  JuditWhereabouts,
  MoveRecord,
} from './domain.js';

/** What the exhibition core announces; a transport turns each into one broadcast to a room. */
export type ExhibitionEvent =
  | { type: 'status'; status: ExhibitionStatus; at: number }
  /** A seat taken (with Judit's colour there) or freed before the start (both null). */
  | { type: 'seat'; table: number; opponent: string | null; juditColor: Color | null }
  | { type: 'move'; table: number; move: MoveRecord; board: BoardSummary }
  /** Where one giver is now: 0 is Judit. */
  | { type: 'judit'; giver: number; judit: JuditWhereabouts }
  | { type: 'drawOffer'; table: number; state: 'offered' | 'declined' }
  /** Judit found the opponent not ready. */
  | { type: 'pass'; table: number; board: BoardSummary }
  | { type: 'config'; config: ExhibitionConfig }
  | { type: 'gameOver'; table: number; end: GameEnd; board: BoardSummary }
  | { type: 'stats'; stats: ExhibitionStats };

export type ExhibitionEventType = ExhibitionEvent['type'];
