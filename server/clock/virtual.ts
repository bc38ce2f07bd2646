import type { Clock } from './clock.js';

interface Timer {
  at: number;
  seq: number;
  wake: () => void;
}

/**
 * Discrete-event time: nothing moves until every task is waiting on a timer, then time jumps to the
 * earliest one. Hours of exhibition run in milliseconds, and exactly the same way every time.
 */
export class VirtualClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly timers: Timer[] = []; // binary min-heap on (at, seq)
  /** How many times the clock jumped forward: a measure of how often tasks slept. */
  jumps = 0;

  /**
   * `settle` resolves once every pending promise continuation has run: Node's check queue by
   * default; a browser worker, which has none, passes its own.
   */
  constructor(
    start = 0,
    private readonly settle: () => Promise<void> = nextImmediate,
  ) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer: Timer = {
        at: this.current + Math.max(0, ms),
        seq: this.seq++,
        wake: () => {
          signal?.removeEventListener('abort', cancel);
          resolve();
        },
      };
      const cancel = () => {
        this.remove(timer);
        resolve();
      };
      signal?.addEventListener('abort', cancel, { once: true });
      this.push(timer);
    });
  }

  get pending(): number {
    return this.timers.length;
  }

  /**
   * Lets every task run until all of them wait, then fires the earliest timer; repeats until `done()`
   * holds, no timer is left, or time would pass `until`.
   */
  async run(done: () => boolean = () => false, until = Infinity): Promise<void> {
    for (;;) {
      await this.settle();
      if (done()) return;
      const next = this.timers[0];
      if (!next || next.at > until) return;
      this.pop();
      this.current = next.at;
      this.jumps++;
      next.wake();
    }
  }

  /** Moves time forward by `ms`, firing every timer due on the way. */
  advance(ms: number): Promise<void> {
    const until = this.current + ms;
    return this.run(() => false, until).then(() => {
      this.current = until;
    });
  }

  private push(timer: Timer): void {
    const heap = this.timers;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  private pop(): void {
    this.removeAt(0);
  }

  private remove(timer: Timer): void {
    const i = this.timers.indexOf(timer);
    if (i >= 0) this.removeAt(i);
  }

  private removeAt(index: number): void {
    const heap = this.timers;
    const last = heap.pop()!;
    if (index === heap.length) return;
    heap[index] = last;
    // restore the heap both ways: the moved element may belong above or below
    let i = index;
    while (i > 0 && before(heap[i], heap[(i - 1) >> 1])) {
      const parent = (i - 1) >> 1;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < heap.length && before(heap[l], heap[least])) least = l;
      if (r < heap.length && before(heap[r], heap[least])) least = r;
      if (least === i) return;
      [heap[i], heap[least]] = [heap[least], heap[i]];
      i = least;
    }
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** Resolves once every pending promise continuation has run. */
function nextImmediate(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
