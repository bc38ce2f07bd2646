/** The server's clock as seen from here: timers count against the server's timestamps. */
import type { ExhibitionStats, ExhibitionStatus } from '../../shared/domain.js';

let offset = 0;

/** Adopts the server's time from a fresh message (a snapshot's `serverNow`, a stats' `now`). */
export function syncServerTime(serverNow: number): void {
  offset = serverNow - Date.now();
}

export function serverNow(): number {
  return Date.now() + offset;
}

/**
 * The server's playing time (pauses excluded), ticking on here while the exhibition runs: the
 * server's own figure at its `now`, plus the time passed since. Frozen when not running.
 */
export function playingMs(stats: ExhibitionStats, status: ExhibitionStatus, now = serverNow()): number {
  return stats.elapsedMs + (status === 'running' ? Math.max(0, now - stats.now) : 0);
}
