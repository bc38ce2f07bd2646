/** Time as the exhibition core sees it: read the time, or wait for some. */
export interface Clock {
  /** Milliseconds since the clock's epoch. */
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
