import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../server/clock/virtual.js';
import { duration, table } from '../../server/simulate/format.js';
import { crossoverBoards, idealSeconds } from '../../shared/lesson.js';
import { simulate } from '../../server/simulate/simulate.js';
import { newCounters } from '../../server/judit/loop.js';

const classic = { juditSeconds: 5, opponentSeconds: 55, movePairs: 30 };

describe('the simulator', () => {
  it('the ideal formula gives the classic figures', () => {
    expect(idealSeconds({ ...classic, boards: 24 })).toBe(3_655);
    expect(idealSeconds({ ...classic, boards: 1 })).toBe(1_800);
    expect(crossoverBoards(classic)).toBe(12);
  });

  for (const boards of [1, 2, 12, 24, 40]) {
    it(`N = ${boards}: the exhibition takes the ideal time within 1 %, one after another N·M·(j+o)`, async () => {
      const clock = new VirtualClock();
      const counters = newCounters();
      const r = await simulate({ ...classic, boards }, clock, counters);
      const ideal = (30 - 1) * Math.max(boards * 5, 60) + boards * 5 + 55;
      expect(r.idealSeconds).toBe(ideal);
      expect(Math.abs(r.exhibitionSeconds - ideal) / ideal).toBeLessThan(0.01);
      expect(r.sequentialSeconds).toBe(boards * 30 * 60);
      expect(r.speedup).toBeCloseTo(r.sequentialSeconds / r.exhibitionSeconds, 9);
      expect(r.juditUtilisation).toBeCloseTo((boards * 30 * 5) / r.exhibitionSeconds, 9);
      expect(r.juditUtilisation).toBeLessThanOrEqual(1);
      // she thinks once per move and never spins: time only jumps to the end of one of her thinks
      // or to an opponent's move, and she visits a table at most twice per move of hers
      expect(counters.thinks).toBe(boards * 30);
      expect(clock.jumps).toBeLessThanOrEqual(2 * boards * 30);
      expect(counters.visits).toBeLessThanOrEqual(2 * boards * 30 + boards);
    });
  }

  it('the classic example: 12 hours one after another, about one hour table to table', async () => {
    const r = await simulate({ ...classic, boards: 24 });
    expect(r.sequentialSeconds).toBe(43_200);
    expect(r.exhibitionSeconds).toBeCloseTo(3_655, -1);
    expect(r.speedup).toBeGreaterThan(11.5);
    const printed = table(r);
    expect(printed).toContain('12 h 00 min');
    expect(printed).toContain(duration(r.exhibitionSeconds));
    expect(printed).toMatch(/speed-up 11\.\d\d×/);
  });

  it('below the crossover her opponents are the bottleneck, above it she is', async () => {
    const below = await simulate({ ...classic, boards: 6 });
    const above = await simulate({ ...classic, boards: 18 });
    expect(below.exhibitionSeconds).toBeCloseTo(29 * 60 + 6 * 5 + 55, -1); // the opponents' pace
    expect(above.exhibitionSeconds).toBeCloseTo(29 * 18 * 5 + 18 * 5 + 55, -1); // hers
    expect(below.juditUtilisation).toBeLessThan(0.6);
    expect(above.juditUtilisation).toBeGreaterThan(0.95);
  });

  it('is deterministic: the same figures every run', async () => {
    const a = await simulate({ ...classic, boards: 5, movePairs: 10 });
    const b = await simulate({ ...classic, boards: 5, movePairs: 10 });
    expect(a).toEqual(b);
  });
});

describe('durations as the table prints them', () => {
  it('hours, minutes and seconds', () => {
    expect(duration(43_200)).toBe('12 h 00 min');
    expect(duration(3_655)).toBe('1 h 00 min 55 s');
    expect(duration(1_855)).toBe('30 min 55 s');
    expect(duration(42)).toBe('42 s');
    expect(duration(0)).toBe('0 s');
  });
});
