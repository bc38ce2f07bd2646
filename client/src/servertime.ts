/** The server's clock as seen from here: timers count against the server's timestamps. */

let offset = 0;

/** Adopts the server's time from a fresh message (a snapshot's `serverNow`, a stats' `now`). */
export function syncServerTime(serverNow: number): void {
  offset = serverNow - Date.now();
}

export function serverNow(): number {
  return Date.now() + offset;
}
