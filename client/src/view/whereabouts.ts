/** Where the player's giver (Judit, or a sister) is, as a seated player needs to know it: "Judit is at table 7 — 3 tables before yours, about 12 s". */
import type { ExhibitionStatus, JuditWhereabouts } from '../../../shared/domain.js';
import { about, plural } from '../format.js';

export interface WhereaboutsInput {
  status: ExhibitionStatus;
  judit: JuditWhereabouts;
  /** Her name: Judit, or the sister who walks the player's section. */
  name?: string;
  /** The player's table. */
  table: number;
  gameOver: boolean;
  /** Her forecast for this table, as of now; ms null until the player has moved. */
  eta: { tablesAhead: number; ms: number | null } | null;
  /** The first table, where she starts. */
  firstTable: number;
}

/** `here`: she is at your board; `next`: yours is her next table; `away`: elsewhere; `idle`: not playing. */
export type Tone = 'here' | 'next' | 'away' | 'idle';

export interface Whereabouts {
  headline: string;
  tone: Tone;
}

export function describeWhereabouts(w: WhereaboutsInput): Whereabouts {
  const { judit, table } = w;
  const name = w.name ?? 'Judit';
  switch (w.status) {
    case 'open':
      return {
        headline:
          w.firstTable === table ? `${name} starts at your table when the host starts.` : `${name} starts at table ${w.firstTable} when the host starts.`,
        tone: 'idle',
      };
    case 'paused':
      return { headline: 'The host has paused the exhibition.', tone: 'idle' };
    case 'finished':
      return { headline: 'The exhibition is over: every game has finished.', tone: 'idle' };
    case 'aborted':
      return { headline: 'The host has ended the exhibition.', tone: 'idle' };
    case 'running':
      break;
    default: {
      const unknown: never = w.status;
      return { headline: String(unknown), tone: 'idle' };
    }
  }
  if (judit.table === table && !w.gameOver) {
    switch (judit.activity) {
      case 'thinking':
        return { headline: `${name} is at your table, thinking…`, tone: 'here' };
      case 'walking':
        return { headline: `${name} is walking to your table.`, tone: 'next' };
      // resting here: no one else needs her, so she plays your board the moment you move
      case 'waiting':
      case 'resting':
        return { headline: `${name} is at your table, waiting for your move.`, tone: 'here' };
      case 'idle':
        return { headline: `${name} is resting at your table until someone moves.`, tone: 'away' };
    }
  }
  if (judit.activity === 'resting') return { headline: `${name} is resting until someone moves.`, tone: 'away' };
  const at = judit.table === null ? `${name} is on her way` : judit.activity === 'walking' ? `${name} is walking to table ${judit.table}` : `${name} is at table ${judit.table}`;
  if (w.gameOver || !w.eta) return { headline: `${at}.`, tone: 'away' };
  // a time only where it is known: she plays this board once its player has moved
  if (w.eta.ms === null) return { headline: `${at}. She comes to your table once you have moved.`, tone: 'away' };
  const ahead = w.eta.tablesAhead;
  const when = about(w.eta.ms);
  if (ahead === 0) return { headline: `${at} — yours is next, ${when}.`, tone: 'next' };
  return { headline: `${at} — ${plural(ahead, 'table')} before yours, ${when}.`, tone: 'away' };
}
