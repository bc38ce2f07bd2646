import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../server/clock/virtual.js';

describe('VirtualClock', () => {
  it('starts at its epoch and stands still until run', async () => {
    const clock = new VirtualClock(1_000);
    let woke = false;
    void clock.sleep(500).then(() => (woke = true));
    await new Promise((r) => setImmediate(r));
    expect(clock.now()).toBe(1_000);
    expect(woke).toBe(false);
    expect(clock.pending).toBe(1);
  });

  it('wakes sleepers in time order, ties in the order they slept, each at its own time', async () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    const sleeper = (name: string, ms: number) => clock.sleep(ms).then(() => log.push(`${name}@${clock.now()}`));
    void sleeper('c', 30);
    void sleeper('a', 10);
    void sleeper('b1', 20);
    void sleeper('b2', 20);
    await clock.run();
    expect(log).toEqual(['a@10', 'b1@20', 'b2@20', 'c@30']);
    expect(clock.jumps).toBe(4);
    expect(clock.pending).toBe(0);
  });

  it('fires hundreds of timers in sorted order (the heap stays ordered through removals)', async () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    const cancels: AbortController[] = [];
    let x = 12345;
    for (let i = 0; i < 300; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      const at = x % 1000;
      const c = new AbortController();
      cancels.push(c);
      void clock.sleep(at, c.signal).then(() => {
        if (!c.signal.aborted) fired.push(clock.now());
      });
    }
    for (let i = 0; i < 300; i += 3) cancels[i].abort();
    expect(clock.pending).toBe(200);
    await clock.run();
    expect(fired).toHaveLength(200);
    expect(fired).toEqual([...fired].sort((a, b) => a - b));
  });

  it('lets a woken task sleep again: chains of sleeps add up exactly', async () => {
    const clock = new VirtualClock();
    const task = async () => {
      for (let i = 0; i < 5; i++) await clock.sleep(1_500);
      return clock.now();
    };
    const done = task();
    await clock.run();
    expect(await done).toBe(7_500);
  });

  it('an abort resolves the sleep at once, without moving time, and drops its timer', async () => {
    const clock = new VirtualClock();
    const c = new AbortController();
    let at: number | null = null;
    void clock.sleep(60_000, c.signal).then(() => (at = clock.now()));
    await clock.advance(1_000);
    c.abort();
    await new Promise((r) => setImmediate(r));
    expect(at).toBe(1_000);
    expect(clock.pending).toBe(0);
  });

  it('a sleep on an already aborted signal resolves at once and leaves no timer', async () => {
    const clock = new VirtualClock();
    const c = new AbortController();
    c.abort();
    await clock.sleep(5_000, c.signal);
    expect(clock.now()).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('a negative sleep wakes at the current time', async () => {
    const clock = new VirtualClock(100);
    const p = clock.sleep(-50).then(() => clock.now());
    await clock.run();
    expect(await p).toBe(100);
  });

  it('advance fires only what is due, and lands exactly on the target', async () => {
    const clock = new VirtualClock();
    const log: number[] = [];
    void clock.sleep(1_000).then(() => log.push(clock.now()));
    void clock.sleep(2_000).then(() => log.push(clock.now()));
    void clock.sleep(3_001).then(() => log.push(clock.now()));
    await clock.advance(3_000);
    expect(log).toEqual([1_000, 2_000]);
    expect(clock.now()).toBe(3_000);
    expect(clock.pending).toBe(1);
  });

  it('run stops as soon as the condition holds, or before passing `until`', async () => {
    const clock = new VirtualClock();
    let count = 0;
    const ticker = async () => {
      for (;;) {
        await clock.sleep(10);
        count++;
      }
    };
    void ticker();
    await clock.run(() => count >= 5);
    expect(count).toBe(5);
    expect(clock.now()).toBe(50);
    await clock.run(() => false, 95);
    expect(count).toBe(9);
    expect(clock.now()).toBe(90);
  });

  it('advancing with nothing pending jumps straight to the target, waking nothing', async () => {
    const clock = new VirtualClock();
    await clock.advance(3_600_000);
    expect(clock.jumps).toBe(0);
    expect(clock.now()).toBe(3_600_000);
  });
});
