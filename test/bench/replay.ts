/** Replays what was recorded at its moments: the bare server's broadcasts, its players' moves. */
import { wallNow } from './histogram.js';

/**
 * Calls `act` on each item `at` ms from now (items in order of `at`), every item due by then in one
 * go, and resolves with what the calls returned once the last is made.
 */
export function atTheirMoments<T extends { at: number }, R>(items: T[], act: (item: T) => R): Promise<R[]> {
  return new Promise((resolve) => {
    const startAt = wallNow();
    const results: R[] = [];
    const tick = () => {
      while (results.length < items.length && startAt + items[results.length].at <= wallNow()) results.push(act(items[results.length]));
      if (results.length >= items.length) return resolve(results);
      setTimeout(tick, Math.max(0, startAt + items[results.length].at - wallNow()));
    };
    tick();
  });
}
