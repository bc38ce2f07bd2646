import { performance } from 'node:perf_hooks';
import type { Clock } from './clock.js';

/** Timers fire late by a millisecond or so; a precise sleep waits out the last stretch on the check queue. */
const TIMER_SLACK_MS = 2;

const now = () => performance.timeOrigin + performance.now();

/**
 * Wall-clock time with sub-millisecond resolution, for the server. Its sleeps are the event loop's
 * timers: never early, a millisecond or so late, and free while they wait.
 */
export const realClock: Clock = { now, sleep: (ms, signal) => sleep(ms, signal, false) };

/**
 * The same time, with sleeps that end on time rather than a timer's granularity late, for the
 * simulator's scaled real-time runs, whose sleeps are a few milliseconds each. The last stretch of
 * every sleep keeps the thread busy: not for the server, which sleeps for every move and announcement.
 */
export const preciseClock: Clock = { now, sleep: (ms, signal) => sleep(ms, signal, true) };

function sleep(ms: number, signal: AbortSignal | undefined, onTime: boolean): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const until = now() + ms;
    let timer: NodeJS.Timeout | undefined;
    let check: NodeJS.Immediate | undefined;
    const done = () => {
      clearTimeout(timer);
      clearImmediate(check);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    // a timer counts whole milliseconds from the loop's last reading, so it may fire a fraction early: it is set again
    const wake = () => {
      const left = until - now();
      if (left <= 0) done();
      else if (!onTime) timer = setTimeout(wake, left);
      else if (left > TIMER_SLACK_MS) timer = setTimeout(wake, left - TIMER_SLACK_MS);
      else check = setImmediate(wake);
    };
    signal?.addEventListener('abort', done, { once: true });
    wake();
  });
}
