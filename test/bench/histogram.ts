/**
 * Latencies in log-spaced buckets 0.5 % wide: a few thousand counters hold millions of samples, and
 * the histograms of several processes merge by adding.
 */
const GROWTH = Math.log(1.005);
const BUCKETS = 2400; // up to e^(2400·0.005) ≈ 160 s

export type HistogramCounts = [bucket: number, count: number][];

export class Histogram {
  private readonly counts = new Float64Array(BUCKETS);
  count = 0;
  /** Samples below zero (clocks of two processes disagreeing), counted as zero. */
  negative = 0;
  max = 0;

  record(ms: number): void {
    if (ms < 0) {
      this.negative++;
      ms = 0;
    }
    this.counts[Math.min(BUCKETS - 1, Math.floor(Math.log1p(ms) / GROWTH))]++;
    this.count++;
    if (ms > this.max) this.max = ms;
  }

  /** The latency below which a fraction `q` of the samples lie (bucket midpoint). */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = q * this.count;
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank && this.counts[i] > 0) return Math.min(this.max, Math.expm1((i + 0.5) * GROWTH));
    }
    return this.max;
  }

  toJSON(): { counts: HistogramCounts; negative: number; max: number } {
    const counts: HistogramCounts = [];
    this.counts.forEach((c, i) => c && counts.push([i, c]));
    return { counts, negative: this.negative, max: this.max };
  }

  add(other: ReturnType<Histogram['toJSON']>): void {
    for (const [i, c] of other.counts) {
      this.counts[i] += c;
      this.count += c;
    }
    this.negative += other.negative;
    this.max = Math.max(this.max, other.max);
  }
}

/** The same clock as the server's: milliseconds since the epoch, sub-millisecond resolution. */
export const wallNow = (): number => performance.timeOrigin + performance.now();
