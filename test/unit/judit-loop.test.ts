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
    s.port.run((x) => x.pause());
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

  it('she passes a table only when its opponent has had a full round since her move there', async () => {
    const s = running({ thinkSeconds: 5 }, ['A', 'B', 'C']);
    opponents(s, (table) => (table === 3 ? 1 * S : null)); // a round is 3 × 5 s
    await s.clock.advance(30 * S);
    // she moves at 1, 2, 3 by 15 s and waits at table 1 while no one needs her; table 3 calls her
    // at 16 s (1 and 2 had 11 s and 6 s: no pass), 22 s (table 1 had 17 s: a pass) and 28 s (table 1
    // again, table 2 with 18 s)
    expect(s.exh.boards.map((b) => b.passes)).toEqual([2, 1, 0]);
    expect(s.exh.summaries().map((b) => b.passes)).toEqual([2, 1, 0]);
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
    // she rests at table 1 from 10 s, and waits (her patience running) once table 2 needs her
    expect(waited).toMatchObject({ judit: { table: 1, since: 11 * S } });
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
    await s.clock.advance(30 * S);
    // table 2 needs her from 11 s: she waits at table 1 until 21 s, when its opponent has had 16 s
    expect(atSeconds(juditMoves(s.events))).toEqual(['1@5', '2@10', '2@26']);
    expect(s.exh.board(1)!.passes).toBe(1);
    const thinkAt2 = s.events.filter((e) => e.type === 'judit' && e.judit.activity === 'thinking').at(-1);
    expect(thinkAt2).toMatchObject({ judit: { table: 2, since: 21 * S } });
  });
});

describe('resting', () => {
  it('she rests when no table needs her, without spinning, however long it lasts', async () => {
    const s = running({ thinkSeconds: 5 }, ['A', 'B']);
    await s.clock.advance(10 * S);
    // at the next table, whose opponent will be the first to answer
    expect(s.exh.judit).toMatchObject({ table: 1, activity: 'resting' });
    const counters = { ...s.counters };
    const jumps = s.clock.jumps;
    expect(counters).toEqual({ visits: 3, thinks: 2, rests: 1 });
    await s.clock.advance(10 * 3600 * S);
    expect(s.counters).toEqual(counters);
    expect(s.clock.jumps).toBe(jumps);
    expect(s.clock.pending).toBe(0);
    expect(s.exh.boards.map((b) => b.passes)).toEqual([0, 0]);
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
    opponents(s, firstReplies({ 3: 1 })); // table 3 needs her from 16 s
    void moveAt(s, 1, 27 * S); // just after she gave up waiting at table 1 (16 s to 26 s)
    await s.clock.advance(60 * S);
    // she waits at 2 (26 s to 36 s), plays 3, then goes back to table 1
    expect(atSeconds(juditMoves(s.events))).toEqual(['1@5', '2@10', '3@15', '3@41', '1@46']);
    expect(s.errors).toEqual([]);
  });

  it('is not forgotten when she walked between tables meanwhile', async () => {
    const s = running({ thinkSeconds: 5, walkSeconds: 1 }, ['A', 'B', 'C']);
    // her moves at 6 s, 12 s, 18 s; table 1 moves while she walks back to it (18 s to 19 s)
    void moveAt(s, 1, 18_500);
    await s.clock.advance(60 * S);
    expect(atSeconds(juditMoves(s.events))).toEqual(['1@6', '2@12', '3@18', '1@24']);
  });
});

describe('walking', () => {
  it('walking time is spent between tables and not counted as thinking', async () => {
    const s = running({ thinkSeconds: 5, walkSeconds: 2 }, ['A', 'B']);
    await s.clock.advance(20 * S);
    expect(atSeconds(juditMoves(s.events))).toEqual(['1@7', '2@14']);
    const stats = s.exh.stats();
    expect(stats.juditBusyMs).toBe(10 * S);
    // 2 s to each table: 1, 2, then back to 1, where she rests until someone moves
    expect(stats.juditWalkMs).toBe(6 * S);
    expect(s.exh.judit).toMatchObject({ table: 1, activity: 'resting', since: 16 * S });
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
    s.port.run((x) => x.resign(2));
    s.port.run((x) => x.resign(3));
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
