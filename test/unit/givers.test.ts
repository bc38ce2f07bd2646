import { describe, expect, it } from 'vitest';
import { Exhibition } from '../../server/exhibition/exhibition.js';
import { FastBrain } from '../../server/judit/fast-brain.js';
import { DirectPort } from '../../server/rooms/direct.js';
import { exhibitionPgn } from '../../server/pgn.js';
import { simulate } from '../../server/simulate/simulate.js';
import { giverName, giverOf, sections } from '../../shared/givers.js';
import { fourWays, idealSecondsForGivers } from '../../shared/lesson.js';
import { juditMoves, opponents, quietMove, running, S } from './helpers.js';

const classic = { juditSeconds: 5, opponentSeconds: 55, movePairs: 30 };

describe('sections of the tables', () => {
  it('contiguous, ⌈N/k⌉ tables for the first N mod k givers, ⌊N/k⌋ for the others', () => {
    expect(sections(25, 4).map((s) => [s.from, s.to])).toEqual([[1, 7], [8, 13], [14, 19], [20, 25]]);
    expect(sections(2, 3).map((s) => [s.from, s.to])).toEqual([[1, 1], [2, 2], [3, 2]]);
    expect([1, 12, 13, 24].map((t) => giverOf(t, 24, 2))).toEqual([0, 0, 1, 1]);
    expect([0, 1, 2, 3, 7].map(giverName)).toEqual(['Judit', 'Zsuzsa', 'Zsófia', 'Giver 4', 'Giver 8']);
  });

  it('every table has exactly one giver, the one whose section holds it', () => {
    for (let n = 1; n <= 60; n++) {
      for (let k = 1; k <= 8; k++) {
        const owners = Array.from({ length: n }, (_, i) => giverOf(i + 1, n, k));
        const expected = sections(n, k).flatMap((s) => Array.from({ length: Math.max(0, s.to - s.from + 1) }, () => s.giver));
        expect(owners).toEqual(expected);
      }
    }
  });

  it('the ideal for k givers is that of the longest section', () => {
    expect(idealSecondsForGivers({ ...classic, boards: 24 }, 1)).toBe(3_655);
    expect(idealSecondsForGivers({ ...classic, boards: 24 }, 2)).toBe(29 * 60 + 12 * 5 + 55);
    expect(idealSecondsForGivers({ ...classic, boards: 25 }, 2)).toBe(29 * 65 + 13 * 5 + 55);
    expect(idealSecondsForGivers({ ...classic, boards: 2 }, 8)).toBe(29 * 60 + 5 + 55);
  });

  it('four ways of playing the classic 24 games, with each giver’s busy share', () => {
    const [sequential, async, parallel, parallelSequential] = fourWays({ ...classic, boards: 24 }, 2);
    expect(sequential).toMatchObject({ seconds: 43_200, speedup: 1, busy: [1 / 12] });
    expect(async.seconds).toBe(3_655);
    expect(async.busy[0]).toBeCloseTo(3_600 / 3_655, 9);
    expect(parallel).toMatchObject({ givers: 2, seconds: 1_855 });
    expect(parallel.busy).toEqual([1_800 / 1_855, 1_800 / 1_855]);
    expect(parallelSequential).toMatchObject({ seconds: 21_600, speedup: 2, busy: [1 / 12, 1 / 12] });
  });
});

describe('the simulator with several givers', () => {
  // the same grid, printed with each giver's busy share: `npm run bench:simulate -- --givers`
  for (const givers of [1, 2, 3, 4, 8]) {
    for (const boards of [2, 12, 24, 25, 48, 100]) {
      it(`k = ${givers}, N = ${boards}: within 1 % of the ideal for k givers`, async () => {
        const r = await simulate({ ...classic, boards, givers });
        const ideal = idealSecondsForGivers({ ...classic, boards }, givers);
        expect(r.idealSeconds).toBe(ideal);
        expect(Math.abs(r.exhibitionSeconds - ideal) / ideal).toBeLessThan(0.01);
        expect(r.sequentialSeconds).toBe(boards * 30 * 60);
        expect(r.perGiver).toHaveLength(givers);
        const sizes = sections(boards, givers).map((s) => Math.max(0, s.to - s.from + 1));
        expect(r.perGiver.map((g) => g.busySeconds)).toEqual(sizes.map((n) => n * 30 * 5));
        r.perGiver.forEach((g) => expect(g.juditUtilisation).toBeCloseTo(g.busySeconds / r.exhibitionSeconds, 9));
      }, 120_000); // a hundred boards' hours of play take a few seconds, longer on a busy machine
    }
  }

  it('the --json figures keep one giver’s fields as they were', async () => {
    const r = await simulate({ ...classic, boards: 24 });
    expect(r).toMatchObject({ givers: 1, exhibitionSeconds: 3_655, juditUtilisation: 3_600 / 3_655 });
    expect(r.perGiver).toEqual([{ name: 'Judit', from: 1, to: 24, busySeconds: 3_600, juditUtilisation: 3_600 / 3_655 }]);
  });
});

describe('several givers on the virtual clock', () => {
  it('two givers never visit the same table: each walks her own section, both at once', async () => {
    const s = running({ thinkSeconds: 5, givers: 2 }, ['A', 'B', 'C', 'D']);
    const stop = opponents(s, 20 * S);
    const visits: [number, number | null][] = [];
    s.port.on((e) => {
      if (e.type === 'judit' && e.judit.table !== null) visits.push([e.giver, e.judit.table]);
    });
    await s.clock.advance(300 * S);
    stop();
    expect(s.errors).toEqual([]);
    expect(new Set(visits.filter(([g]) => g === 0).map(([, t]) => t))).toEqual(new Set([1, 2]));
    expect(new Set(visits.filter(([g]) => g === 1).map(([, t]) => t))).toEqual(new Set([3, 4]));
    // they think in parallel: tables 1 and 3 get their first moves at the same instant
    expect(juditMoves(s.events).slice(0, 4)).toEqual([[1, 5 * S], [3, 5 * S], [2, 10 * S], [4, 10 * S]]);
    const stats = s.exh.stats();
    expect(stats.givers.map((g) => g.busyMs)).toEqual([stats.juditBusyMs / 2, stats.juditBusyMs / 2]);
  });

  it('a section whose games all end leaves its giver resting while the other works', async () => {
    const s = running({ thinkSeconds: 5, givers: 2 }, ['A', 'B', 'C', 'D']);
    const stop = opponents(s, 1 * S);
    await s.clock.advance(12 * S);
    s.port.run((x) => x.resign(1));
    s.port.run((x) => x.resign(2));
    const before = s.exh.stats().givers[1].busyMs;
    await s.clock.advance(60 * S);
    stop();
    expect(s.errors).toEqual([]);
    expect(s.exh.status).toBe('running');
    expect(s.exh.givers[0].activity).toBe('resting');
    // she said so once, not at every move of the other section
    const resting = s.events.filter((e) => e.type === 'judit' && e.giver === 0 && e.judit.activity === 'resting');
    expect(resting).toHaveLength(1);
    const after = s.exh.stats().givers;
    expect(after[1].busyMs).toBeGreaterThan(before + 40 * S);
    expect(juditMoves(s.events).filter(([, at]) => at > 12 * S).every(([t]) => t >= 3)).toBe(true);
  });

  it('pause, resume and restart with three givers: each goes back to her own table', async () => {
    const s = running({ thinkSeconds: 5, givers: 3 }, ['A', 'B', 'C', 'D', 'E', 'F']);
    const stop = opponents(s, 30 * S);
    await s.clock.advance(7 * S); // each moved at her first table, each thinks at her second
    expect(s.exh.givers.map((g) => [g.table, g.activity])).toEqual([[2, 'thinking'], [4, 'thinking'], [6, 'thinking']]);
    s.port.run((x) => x.pause());
    await s.clock.advance(100 * S);
    expect(juditMoves(s.events)).toHaveLength(3);
    s.port.run((x) => x.resume());
    await s.clock.advance(5 * S);
    expect(juditMoves(s.events).slice(3).map(([t, at]) => [t, at / S])).toEqual([[2, 112], [4, 112], [6, 112]]);

    // the server stops: what it stored is read back and carries on with the same three givers
    await s.clock.advance(1 * S);
    const record = {
      id: s.exh.id,
      createdAt: s.exh.createdAt,
      header: structuredClone(s.exh.header()),
      boards: s.exh.boards.map((b) => ({ state: structuredClone(b.state()), moves: structuredClone(b.moves) })),
    };
    s.port.run((x) => x.pause());
    stop();
    const back = Exhibition.restore(record, s.clock);
    expect(back.config.givers).toBe(3);
    expect(back.givers).toEqual(s.exh.givers.map((g, i) => record.header.givers![i] ?? g));
    expect(back.giverBusyMs).toEqual([10 * S, 10 * S, 10 * S]);
    const port = new DirectPort(back);
    const moved: [number, number][] = [];
    port.on((e) => {
      if (e.type === 'move' && e.move.by === 'judit') moved.push([e.table, e.move.movedAt]);
    });
    port.employ({ clock: s.clock, brain: new FastBrain({ clock: s.clock, prolong: true }) }, (e) => s.errors.push(e));
    port.run((x) => x.resume());
    // the opponents at tables 1, 3 and 5 answer: each giver plays her own
    for (const t of [1, 3, 5]) {
      const b = back.board(t)!;
      port.run((x) => x.move(t, b.ply, quietMove(b.chess.fen())));
    }
    await s.clock.advance(20 * S);
    expect(s.errors).toEqual([]);
    expect(moved.map(([t]) => t).sort()).toEqual([1, 3, 5]);
    expect(back.stats().givers.map((g) => g.busyMs)).toEqual([15 * S, 15 * S, 15 * S]);
  });

  it('the PGN names the giver of each table', async () => {
    const s = running({ thinkSeconds: 5, givers: 2 }, ['Ann', 'Bob', 'Cy', 'Di']);
    await s.clock.advance(6 * S);
    const whites = exhibitionPgn(s.exh, 'test').match(/\[White "[^"]+"\]/g);
    expect(whites).toEqual(['[White "Judit"]', '[White "Judit"]', '[White "Zsuzsa"]', '[White "Zsuzsa"]']);
  });

  it('an exhibition stored before there were several givers loads with Judit alone', () => {
    const s = running({ thinkSeconds: 5 }, ['A', 'B']);
    const { givers, giverBusyMs: _b, giverWalkMs: _w, ...header } = s.exh.header();
    const { givers: _k, ...config } = header.config;
    // those headers kept Judit's whereabouts as `judit`
    const judit = givers![0];
    const old = { id: 'old', createdAt: 0, header: { ...header, judit, config: config as typeof header.config }, boards: [] };
    const back = Exhibition.restore(old, s.clock);
    expect(back.config.givers).toBe(1);
    expect(back.givers).toEqual([judit]);
    expect(back.stats().givers).toHaveLength(1);
  });
});
