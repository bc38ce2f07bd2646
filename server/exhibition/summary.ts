import type { ExhibitionConfig } from '../../shared/config.js';
import type { ExhibitionStatus, ExhibitionSummary, GameEnd, StopReason } from '../../shared/domain.js';
import { tallyResults } from '../../shared/results.js';
import type { Exhibition } from './exhibition.js';
import { storedConfig, storedStoppedAs, type ExhibitionRecord } from './record.js';

/** True while a seat may be taken: before the start, or while it runs when latecomers are admitted. */
export function isSeating(status: ExhibitionStatus, config: ExhibitionConfig): boolean {
  return status === 'open' || (config.lateJoin && (status === 'running' || status === 'paused'));
}

interface Listed {
  id: string;
  createdAt: number;
  config: ExhibitionConfig;
  status: ExhibitionStatus;
  stoppedAs: StopReason | null;
  ends: (GameEnd | null)[];
}

function summarize(x: Listed): ExhibitionSummary {
  return {
    id: x.id,
    name: x.config.name,
    status: x.status,
    seatsTaken: x.ends.length,
    seatsFree: isSeating(x.status, x.config) ? x.config.boards - x.ends.length : 0,
    elo: x.config.elo,
    thinkSeconds: x.config.thinkSeconds,
    description: x.config.description,
    clock: x.config.clock,
    results: tallyResults(x.ends),
    createdAt: x.createdAt,
    stoppedAs: x.stoppedAs,
  };
}

/** What the lobby lists of an exhibition in memory. */
export function summaryOf(exh: Exhibition): ExhibitionSummary {
  return summarize({ id: exh.id, createdAt: exh.createdAt, config: exh.config, status: exh.status, stoppedAs: exh.stoppedAs, ends: exh.boards.map((b) => b.end) });
}

/**
 * What the lobby lists of a stored exhibition, read from its header and its boards' ends: no game is
 * replayed, so its moves need not be loaded, and one running elsewhere is listed as running.
 */
export function summaryOfRecord(record: ExhibitionRecord): ExhibitionSummary {
  const { header } = record;
  return summarize({
    id: record.id,
    createdAt: record.createdAt,
    config: storedConfig(header),
    status: header.status,
    stoppedAs: storedStoppedAs(header),
    ends: record.boards.map((b) => b.state.end),
  });
}
