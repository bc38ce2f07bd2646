import { performance } from 'node:perf_hooks';
import type { Clock } from './clock.js';

/** Timers fire late by a millisecond or so; the last stretch is waited out on the check queue. */
const TIMER_SLACK_MS = 2;

/**
 * Wall-clock time with sub-millisecond resolution, for the server and the simulator's real-time
 * mode. Sleeps end on time rather than a timer's granularity late, so short scaled runs stay true.
 */
export const realClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  sleep(ms, signal) {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const until = realClock.now() + ms;
      let timer: NodeJS.Timeout | undefined;
      let check: NodeJS.Immediate | undefined;
      const done = () => {
        clearTimeout(timer);
        clearImmediate(check);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const spin = () => {
        if (realClock.now() >= until) done();
        else check = setImmediate(spin);
      };
      signal?.addEventListener('abort', done, { once: true });
      if (ms > TIMER_SLACK_MS) timer = setTimeout(spin, ms - TIMER_SLACK_MS);
      else spin();
    });
  },
};
