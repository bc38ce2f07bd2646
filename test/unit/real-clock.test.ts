/** The wall clock's sleeps: what the server's timing (and the simulator's scaled runs) rest on. */
import { describe, expect, it } from 'vitest';
import { preciseClock, realClock } from '../../server/clock/real.js';

describe.each([
  ['the server’s clock', realClock],
  ['the precise clock', preciseClock],
])('%s', (_, clock) => {
  it('never wakes a sleep early, whatever fraction of a millisecond it asks for', async () => {
    const shortest = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const ms = 3 + i * 0.37;
        const from = clock.now();
        await clock.sleep(ms);
        return clock.now() - from - ms;
      }),
    );
    expect(Math.min(...shortest)).toBeGreaterThanOrEqual(0);
  });

  it('ends a sleep at once when its signal aborts, and at once when it was aborted already', async () => {
    const stop = new AbortController();
    const sleeping = clock.sleep(60_000, stop.signal);
    stop.abort();
    await sleeping; // a sleep left to run its minute would time the test out
    await clock.sleep(60_000, stop.signal);
  });
});
