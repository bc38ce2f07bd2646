import { describe, expect, it } from 'vitest';
import type { ExhibitionStats } from '../../shared/domain.js';
import { opponents, running, S, setup } from './helpers.js';

describe('statistics', () => {
  it('before the start everything is zero', () => {
    const s = setup({}, ['A', 'B']);
    expect(s.exh.stats()).toMatchObject({
      elapsedMs: 0,
      juditBusyMs: 0,
      juditUtilisation: 0,
      sequentialMs: 0,
      speedup: 0,
      movesPlayed: 0,
      opponentMoves: 0,
      opponentAvgMs: null,
      results: { wins: 0, draws: 0, losses: 0, unfinished: 2 },
    });
  });

  it('elapsed, busy, utilisation, sequential time and speed-up add up exactly', async () => {
    const s = running({ thinkSeconds: 5 }, ['A', 'B']);
    opponents(s, 20 * S);
    await s.clock.advance(17 * S); // she moved at 5 s and 10 s, and rests
    expect(s.exh.stats()).toMatchObject({
      now: 17 * S,
      elapsedMs: 17 * S,
      juditBusyMs: 10 * S,
      sequentialMs: 29 * S, // hers, and theirs under way: 12 s at A, 7 s at B
      movesPlayed: 2,
      opponentAvgMs: null,
    });
    expect(s.exh.stats().juditUtilisation).toBeCloseTo(10 / 17, 12);
    await s.clock.advance(18 * S); // replies at 25 s and 30 s; her answers at 30 s and 35 s
    const stats: ExhibitionStats = s.exh.stats();
    expect(stats).toMatchObject({
      elapsedMs: 35 * S,
      juditBusyMs: 20 * S,
      juditWalkMs: 0,
      sequentialMs: 65 * S, // 4 × 5 s of hers, 2 × 20 s of theirs, and A's 5 s under way
      movesPlayed: 6,
      opponentMoves: 2,
      opponentAvgMs: 20 * S,
    });
    expect(stats.juditUtilisation).toBeCloseTo(20 / 35, 12);
    expect(stats.speedup).toBeCloseTo(65 / 35, 12);
  });

  it('from the first second the speed-up is at least 1 and Judit busy at most all the time: the thinking under way counts', async () => {
    const s = running({ thinkSeconds: 5 }, ['A', 'B', 'C']);
    opponents(s, 20 * S);
    const figures = () => {
      const x = s.exh.stats();
      return [x.elapsedMs / S, x.juditBusyMs / S, x.sequentialMs / S];
    };
    await s.clock.advance(1 * S); // thinking at table 1
    expect(figures()).toEqual([1, 1, 1]);
    expect(s.exh.stats()).toMatchObject({ speedup: 1, juditUtilisation: 1 });
    await s.clock.advance(6 * S); // moved at 1 at 5 s, thinking at 2 since; A thinking since 5 s
    expect(figures()).toEqual([7, 7, 9]);
    s.port.run((x) => x.pause()); // her think at 2 stops, and is not counted: she thinks it again
    await s.clock.advance(60 * S);
    expect(figures()).toEqual([7, 5, 7]);
    s.port.run((x) => x.resume());
    await s.clock.advance(3 * S); // thinking at 2 again since the resume
    expect(figures()).toEqual([10, 8, 13]);
    for (const x of s.events.flatMap((e) => (e.type === 'stats' ? [e.stats] : []))) expect(x.speedup).toBeGreaterThanOrEqual(1);
  });

  it('elapsed time stops when the exhibition finishes', async () => {
    const s = running({ thinkSeconds: 5 }, ['A']);
    await s.clock.advance(8 * S);
    s.port.run((x) => x.resign(1));
    await s.clock.advance(100 * S);
    expect(s.exh.stats()).toMatchObject({ elapsedMs: 8 * S, juditBusyMs: 5 * S, now: 108 * S });
    expect(s.exh.stats().results).toEqual({ wins: 1, draws: 0, losses: 0, unfinished: 0 });
  });

  it('the exhibition announces fresh statistics after each move', async () => {
    const s = running({ thinkSeconds: 5 }, ['A', 'B']);
    await s.clock.advance(10 * S);
    const announced = s.events.flatMap((e) => (e.type === 'stats' ? [e.stats] : []));
    expect(announced.map((x) => [x.now / S, x.movesPlayed, x.juditBusyMs / S])).toEqual([
      [5, 1, 5],
      [10, 2, 10],
    ]);
  });

  it('above the crossover Judit is busy nearly all the time and the speed-up nears (j+o)/j', async () => {
    const s = running({ thinkSeconds: 5 }, ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T']);
    opponents(s, 55 * S);
    await s.clock.advance(3_000 * S);
    const stats = s.exh.stats();
    expect(stats.juditUtilisation).toBeGreaterThan(0.97);
    expect(stats.juditUtilisation).toBeLessThanOrEqual(1);
    expect(stats.speedup).toBeGreaterThan(11);
    expect(stats.speedup).toBeLessThan(12);
  });
});
