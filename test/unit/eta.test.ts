/** The forecast of when each giver reaches each table, checked against when she came. */
import { describe, expect, it } from 'vitest';
import type { Eta } from '../../shared/domain.js';
import { etas } from '../../shared/eta.js';
import { seededRandom } from '../../server/judit/fast-brain.js';
import { opponents, running, S, setup, type Setup } from './helpers.js';

/** When Judit actually reached each table (began thinking or waiting there) after `after`. */
function arrivals(s: Setup, after: number): Map<number, number> {
  const seen = new Map<number, number>();
  for (const e of s.events) {
    if (e.type !== 'judit' || e.judit.table === null || e.judit.since < after) continue;
    if ((e.judit.activity === 'thinking' || e.judit.activity === 'waiting') && !seen.has(e.judit.table)) {
      seen.set(e.judit.table, e.judit.since);
    }
  }
  return seen;
}

const byTable = (list: Eta[]) => Object.fromEntries(list.map((e) => [e.table, [e.tablesAhead, e.ms === null ? null : e.ms / S]]));

describe('ETAs', () => {
  it('none unless running', async () => {
    const s = setup({}, ['A', 'B']);
    expect(etas(s.exh, 0)).toEqual([]);
    s.port.run((x) => x.start());
    s.port.run((x) => x.pause());
    expect(etas(s.exh, 0)).toEqual([]);
  });

  it('at the start: one think per table ahead, counting down, and they come true', async () => {
    const s = running({ thinkSeconds: 5 }, ['A', 'B', 'C', 'D']);
    await s.clock.advance(0);
    expect(byTable(etas(s.exh, 0))).toEqual({ 1: [0, 0], 2: [0, 5], 3: [1, 10], 4: [2, 15] });
    await s.clock.advance(2 * S);
    expect(byTable(etas(s.exh, 2 * S))).toEqual({ 1: [0, 0], 2: [0, 3], 3: [1, 8], 4: [2, 13] });
    await s.clock.advance(20 * S);
    expect(Object.fromEntries(arrivals(s, 0))).toEqual({ 1: 0, 2: 5 * S, 3: 10 * S, 4: 15 * S });
  });

  it('a table whose opponent has not moved gets no time: she comes once they have', async () => {
    const s = running({ thinkSeconds: 5 }, ['A', 'B', 'C']);
    await s.clock.advance(11 * S); // thinking at table 3 since 10 s; 1 and 2 wait for their opponents
    expect(byTable(etas(s.exh, 11 * S))).toEqual({ 1: [0, null], 2: [1, null], 3: [0, 0] });
  });

  it('while she rests, no table gets a time', async () => {
    const s = running({ thinkSeconds: 5 }, ['A', 'B']);
    await s.clock.advance(30 * S);
    expect(s.exh.judit.activity).toBe('resting');
    expect(etas(s.exh, 30 * S).map((e) => e.ms)).toEqual([null, null]);
    const black = running({ thinkSeconds: 5, juditColor: 'black' }, ['A', 'B']);
    await black.clock.advance(30 * S);
    expect(etas(black.exh, 30 * S).map((e) => e.ms)).toEqual([null, null]);
  });

  for (const order of ['table', 'urgent'] as const) {
    it(`in ${order} order with mixed opponents, no time promises her sooner than she comes`, async () => {
      const s = running({ thinkSeconds: 5, walkSeconds: 1, patienceSeconds: 3, order }, ['A', 'B', 'C', 'D', 'E', 'F']);
      const random = seededRandom(3, order);
      opponents(s, () => Math.floor(random() * 40 * S)); // anything from 0 to 40 s
      const promises: { table: number; at: number; by: number }[] = [];
      s.port.on((e) => {
        if (e.type !== 'move' && e.type !== 'judit') return;
        const now = s.clock.now();
        const { table, activity } = s.exh.judit;
        for (const eta of etas(s.exh, now)) {
          // the table she is thinking at: she is there
          if (eta.ms === null || (eta.table === table && activity === 'thinking')) continue;
          promises.push({ table: eta.table, at: now, by: now + eta.ms });
        }
      });
      const end = 1_500 * S;
      await s.clock.advance(end);
      const thinks = s.events.flatMap((e) => (e.type === 'judit' && e.judit.activity === 'thinking' ? [e.judit] : []));
      expect(promises.length).toBeGreaterThan(200);
      for (const p of promises) {
        const came = thinks.find((t) => t.table === p.table && t.since >= p.at);
        if (came) expect(came.since).toBeLessThanOrEqual(p.by);
        else expect(p.by).toBeGreaterThan(end);
      }
    });
  }

  it('finished games are left out', async () => {
    const s = running({ thinkSeconds: 5 }, ['A', 'B', 'C']);
    s.port.run((x) => x.resign(2));
    await s.clock.advance(0);
    expect(byTable(etas(s.exh, 0))).toEqual({ 1: [0, 0], 3: [0, 5] });
  });

  it('while she walks to a table: what is left of the walk, then her think there, then the next walks', async () => {
    const s = running({ thinkSeconds: 5, walkSeconds: 2 }, ['A', 'B', 'C']);
    await s.clock.advance(1 * S); // half way to table 1
    expect(s.exh.judit).toMatchObject({ table: 1, activity: 'walking' });
    const predicted = etas(s.exh, 1 * S);
    expect(byTable(predicted)).toEqual({ 1: [0, 1], 2: [1, 8], 3: [2, 15] });
    await s.clock.advance(20 * S);
    const actual = arrivals(s, 0);
    for (const eta of predicted) expect(actual.get(eta.table)).toBe(1 * S + eta.ms!);
  });

  it('while she waits at a table: the rest of her patience and a think, should its move come last minute', async () => {
    const s = running({ thinkSeconds: 5, patienceSeconds: 10 }, ['A', 'B']);
    opponents(s, (table) => (table === 2 ? 1 * S : null));
    await s.clock.advance(12 * S); // at table 1 since 10 s; waiting from 11 s, when table 2 needs her
    expect(s.exh.judit).toMatchObject({ table: 1, activity: 'waiting', since: 11 * S });
    const predicted = etas(s.exh, 12 * S);
    expect(byTable(predicted)).toEqual({ 1: [0, null], 2: [0, 14] });
    await s.clock.advance(10 * S);
    expect(arrivals(s, 12 * S).get(2)).toBe(21 * S);
  });

  it('in urgent order the longest-waiting board comes first', async () => {
    const s = running({ thinkSeconds: 5, order: 'urgent' }, ['A', 'B', 'C']);
    await s.clock.advance(0);
    expect(byTable(etas(s.exh, 0))).toEqual({ 1: [0, 0], 2: [0, 5], 3: [1, 10] });
  });
});
