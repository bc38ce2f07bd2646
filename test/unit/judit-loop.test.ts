import { describe, expect, it } from 'vitest';
import { juditMoves, moveAt, opponents, running, S, StubBrain, thinkingAt } from './helpers.js';

/** Opponents who answer only Judit's first move, after these delays (seconds) per table. */
const firstReplies = (delays: Record<number, number>) => (table: number, ply: number) =>
  ply === 1 && delays[table] !== undefined ? delays[table] * S : null;

const atSeconds = (moves: [number, number][]) => moves.map(([t, at]) => `${t}@${at / S}`);

describe('what she is asked to think about', () => {
  it('the whole game, her think time and her strength', async () => {
    let brain: StubBrain | null = null;
    const s = running({ thinkSeconds: 4, elo: 1500 }, ['A'], (clock) => (brain = new StubBrain(clock)));
    void moveAt(s, 1, 6 * S);
    await s.clock.advance(12 * S);
    const asked = brain!.requests;
    expect(asked).toHaveLength(2);
    const board = s.exh.board(1)!;
    expect(asked[1]).toMatchObject({
      thinkMs: 4 * S,
      elo: 1500,
      startFen: board.startFen,
      moves: board.moves.slice(0, 2).map((m) => m.uci),
    });
    expect(asked[1].signal.aborted).toBe(false);
    s.exh.pause();
    expect(asked[1].signal.aborted).toBe(true);
  });
});

describe('table order', () => {
  it('Judit makes her first move at every table in turn, one think apart', async () => {
    const s = running({ thinkSeconds: 5 }, ['A', 'B', 'C', 'D']);
    await s.clock.advance(20 * S);
    expect(atSeconds(juditMoves(s.events))).toEqual(['1@5', '2@10', '3@15', '4@20']);
  });

  it('after a round she walks on in table order, not to whoever moved first', async () => {
    const s = running({ thinkSeconds: 5 }, ['A', 'B', 'C']);
    opponents(s, firstReplies({ 1: 15, 2: 8, 3: 1 })); // replies at 20 s, 18 s and 16 s
    await s.clock.advance(40 * S);
    expect(thinkingAt(s.events)).toEqual([1, 2, 3, 3, 1, 2]);
    expect(atSeconds(juditMoves(s.events))).toEqual(['1@5', '2@10', '3@15', '3@21', '1@26', '2@31']);
    expect(s.errors).toEqual([]);
  });

  it('she passes tables whose opponent is not ready, counting each pass', async () => {
    const s = running({ thinkSeconds: 5 }, ['A', 'B', 'C']);
    opponents(s, firstReplies({ 3: 1 }));
    await s.clock.advance(40 * S);
    // at 15 s she finds 1, 2, 3 not ready; woken by table 3 at 16 s she passes 1 and 2 on her way
    // there, and after her move at 21 s finds nobody ready once more
    expect(s.exh.boards.map((b) => b.passes)).toEqual([3, 3, 2]);
    expect(s.exh.summaries().map((b) => b.passes)).toEqual([3, 3, 2]);
  });
});

describe('urgent order', () => {
  it('she goes first to the board that has waited longest for her move', async () => {
    const s = running({ thinkSeconds: 5, order: 'urgent' }, ['A', 'B', 'C']);
    opponents(s, firstReplies({ 1: 15, 2: 8, 3: 1 })); // ready at 20 s, 18 s and 16 s
    await s.clock.advance(40 * S);
    expect(thinkingAt(s.events)).toEqual([1, 2, 3, 3, 2, 1]);
    expect(atSeconds(juditMoves(s.events))).toEqual(['1@5', '2@10', '3@15', '3@21', '2@26', '1@31']);
  });

  it('she does not walk past boards where the opponent is still thinking', async () => {
    const s = running({ thinkSeconds: 5, order: 'urgent' }, ['A', 'B', 'C']);
    opponents(s, firstReplies({ 3: 1 }));
    await s.clock.advance(40 * S);
    expect(s.exh.boards.map((b) => b.passes)).toEqual([0, 0, 0]);
    expect(s.exh.judit).toMatchObject({ activity: 'resting' });
  });
});

describe('patience', () => {
  it('she waits at a table for its opponent, even while another table is ready', async () => {
    const s = running({ thinkSeconds: 5, patienceSeconds: 10 }, ['A', 'B']);
    opponents(s, firstReplies({ 1: 8, 2: 1 })); // table 1 ready at 13 s, table 2 at 11 s
    await s.clock.advance(30 * S);
    expect(atSeconds(juditMoves(s.events))).toEqual(['1@5', '2@10', '1@18', '2@23']);
    expect(s.exh.board(1)!.passes).toBe(0);
    const waited = s.events.find((e) => e.type === 'judit' && e.judit.activity === 'waiting');
    expect(waited).toMatchObject({ judit: { table: 1, since: 10 * S } });
  });

  it('without patience she walks on at once and comes back', async () => {
    const s = running({ thinkSeconds: 5 }, ['A', 'B']);
    opponents(s, firstReplies({ 1: 8, 2: 1 }));
    await s.clock.advance(30 * S);
    expect(atSeconds(juditMoves(s.events))).toEqual(['1@5', '2@10', '2@16', '1@21']);
  });

  it('when her patience runs out she passes and walks on, exactly at the end of it', async () => {
    const s = running({ thinkSeconds: 5, patienceSeconds: 10 }, ['A', 'B']);
    opponents(s, firstReplies({ 1: 30, 2: 1 }));
    await s.clock.advance(25 * S);
    expect(atSeconds(juditMoves(s.events))).toEqual(['1@5', '2@10', '2@25']);
    expect(s.exh.board(1)!.passes).toBe(1);
    const thinkAt2 = s.events.filter((e) => e.type === 'judit' && e.judit.activity === 'thinking').at(-1);
    expect(thinkAt2).toMatchObject({ judit: { table: 2, since: 20 * S } });
  });
});

describe('resting', () => {
  it('she rests when no table needs her, without spinning, however long it lasts', async () => {
    const s = running({ thinkSeconds: 5 }, ['A', 'B']);
    await s.clock.advance(10 * S);
    expect(s.exh.judit).toMatchObject({ activity: 'resting' });
    const counters = { ...s.counters };
    const jumps = s.clock.jumps;
    expect(counters).toEqual({ visits: 4, thinks: 2, rests: 1 });
    await s.clock.advance(10 * 3600 * S);
    expect(s.counters).toEqual(counters);
    expect(s.clock.jumps).toBe(jumps);
    expect(s.clock.pending).toBe(0);
    expect(s.exh.boards.map((b) => b.passes)).toEqual([1, 1]);
  });

  it('she wakes on the next opponent move and answers it one think later', async () => {
    const s = running({ thinkSeconds: 5 }, ['A', 'B']);
    void moveAt(s, 2, 3 * 3600 * S);
    await s.clock.advance(4 * 3600 * S);
    expect(atSeconds(juditMoves(s.events))).toEqual(['1@5', '2@10', `2@${3 * 3600 + 5}`]);
    expect(s.counters.rests).toBe(2);
    expect(s.errors).toEqual([]);
  });

  it('with a move limit she sleeps until the first deadline, once, not in small steps', async () => {
    const s = running({ thinkSeconds: 5, opponentMoveLimitSeconds: 600 }, ['A', 'B']);
    await s.clock.advance(10 * S);
    const jumps = s.clock.jumps;
    await s.clock.advance(594 * S);
    expect(s.clock.jumps).toBe(jumps);
    expect(s.exh.openGames).toBe(2);
    await s.clock.advance(10 * S); // table 1's deadline is at 605 s
    expect(s.clock.jumps).toBe(jumps + 2); // 605 s and 610 s
    expect(s.exh.boards.map((b) => b.end?.reason)).toEqual(['forfeitTime', 'forfeitTime']);
  });
});

describe('a move made while she completes a round', () => {
  it('is not forgotten when she waited at other tables meanwhile', async () => {
    const s = running({ thinkSeconds: 5, patienceSeconds: 10 }, ['A', 'B', 'C']);
    void moveAt(s, 1, 26 * S); // just after she gave up waiting at table 1 (15 s to 25 s)
    await s.clock.advance(60 * S);
    // she waits at 2 (25 s to 35 s) and 3 (35 s to 45 s), then goes back to table 1
    expect(atSeconds(juditMoves(s.events))).toEqual(['1@5', '2@10', '3@15', '1@50']);
    expect(s.errors).toEqual([]);
  });

  it('is not forgotten when she walked between tables meanwhile', async () => {
    const s = running({ thinkSeconds: 5, walkSeconds: 1 }, ['A', 'B', 'C']);
    // her moves at 6 s, 12 s, 18 s; she passes table 1 at 19 s, 2 at 20 s, 3 at 21 s
    void moveAt(s, 1, 19_500);
    await s.clock.advance(60 * S);
    expect(atSeconds(juditMoves(s.events))).toEqual(['1@6', '2@12', '3@18', '1@27']);
  });
});

describe('walking', () => {
  it('walking time is spent between tables and not counted as thinking', async () => {
    const s = running({ thinkSeconds: 5, walkSeconds: 2 }, ['A', 'B']);
    await s.clock.advance(20 * S);
    expect(atSeconds(juditMoves(s.events))).toEqual(['1@7', '2@14']);
    const stats = s.exh.stats();
    expect(stats.juditBusyMs).toBe(10 * S);
    // 2 s to each table: 1, 2, then 1 and 2 again to find nobody ready, and she rests
    expect(stats.juditWalkMs).toBe(8 * S);
    expect(s.exh.judit).toMatchObject({ table: 2, activity: 'resting', since: 18 * S });
    expect(s.events.some((e) => e.type === 'judit' && e.judit.activity === 'walking' && e.judit.table === 2)).toBe(true);
  });
});

describe('alternating colours', () => {
  it('Judit is white on odd tables and black on even ones, where the opponent moves first', async () => {
    const s = running({ thinkSeconds: 5, juditColor: 'alternate' }, ['A', 'B', 'C', 'D']);
    expect(s.exh.boards.map((b) => b.juditColor)).toEqual(['white', 'black', 'white', 'black']);
    opponents(s, (_table, ply) => (ply <= 1 ? 3 * S : null));
    await s.clock.advance(20 * S);
    expect(atSeconds(juditMoves(s.events))).toEqual(['1@5', '2@10', '3@15', '4@20']);
    for (const t of [2, 4]) {
      const b = s.exh.board(t)!;
      expect(b.moves.map((m) => m.by)).toEqual(['opponent', 'judit']);
      expect(b.moves[0].movedAt).toBe(3 * S);
      expect(b.turn).toBe('white');
    }
    s.exh.resign(2);
    s.exh.resign(3);
    expect(s.exh.board(2)!.end).toMatchObject({ result: '0-1', winner: 'judit' });
    expect(s.exh.board(3)!.end).toMatchObject({ result: '1-0', winner: 'judit' });
  });

  it('as black everywhere she waits for the first moves before she plays at all', async () => {
    const s = running({ thinkSeconds: 5, juditColor: 'black' }, ['A', 'B']);
    await s.clock.advance(60 * S);
    expect(juditMoves(s.events)).toEqual([]);
    expect(s.exh.judit.activity).toBe('resting');
    void moveAt(s, 2, 70 * S);
    await s.clock.advance(20 * S);
    expect(atSeconds(juditMoves(s.events))).toEqual(['2@75']);
  });
});
