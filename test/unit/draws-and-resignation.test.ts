import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config.js';
import type { Clock } from '../../server/clock/clock.js';
import type { ExhibitionEvent } from '../../shared/events.js';
import { Board } from '../../server/exhibition/board.js';
import { acceptsDraw } from '../../server/judit/policy.js';
import { juditMoves, moveAt, quietMove, running, S, snapshot, StubBrain, type Setup } from './helpers.js';

const atSeconds = (moves: [number, number][]) => moves.map(([t, at]) => `${t}@${at / S}`);

const drawEvents = (events: ExhibitionEvent[]) =>
  events.flatMap((e) => (e.type === 'drawOffer' ? [`${e.table}:${e.state}`] : []));

/** The opponent at `table` moves at `at` and offers a draw with the move. */
function moveAndOffer(s: Setup, table: number, at: number): void {
  void moveAt(s, table, at).then(() => {
    const r = s.port.run((x) => x.offerDraw(table));
    if (!r.ok) s.errors.push(new Error(r.error.message));
  });
}

/** A Board with `plies` quiet moves played from the start. */
function boardAfter(plies: number, juditColor: 'white' | 'black' = 'white'): Board {
  const board = new Board(1, 'A', juditColor);
  for (let i = 0; i < plies; i++) board.play(quietMove(board.chess.fen()), 0, 0);
  return board;
}

describe('the opponent resigns', () => {
  it('Judit wins, with the result by colour, and the game-over is announced', async () => {
    const s = running({ thinkSeconds: 5, juditColor: 'alternate' }, ['A', 'B']);
    await s.clock.advance(1 * S);
    expect(s.port.run((x) => x.resign(1))).toEqual({ ok: true });
    expect(s.port.run((x) => x.resign(2))).toEqual({ ok: true });
    expect(s.exh.board(1)!.end).toEqual({ result: '1-0', reason: 'resignation', winner: 'judit', at: 1 * S });
    expect(s.exh.board(2)!.end).toEqual({ result: '0-1', reason: 'resignation', winner: 'judit', at: 1 * S });
    const over = s.events.filter((e) => e.type === 'gameOver');
    expect(over.map((e) => e.type === 'gameOver' && e.board.end?.reason)).toEqual(['resignation', 'resignation']);
    expect(s.port.run((x) => x.resign(1))).toMatchObject({ ok: false, error: { code: 'GAME_OVER' } });
  });

  it('a resignation while she thinks at that table: she walks on and gives the next table her full think', async () => {
    const s = running({ thinkSeconds: 5 }, ['A', 'B']);
    void moveAt(s, 1, 11 * S);
    void moveAt(s, 2, 12 * S);
    void s.clock.sleep(13 * S).then(() => s.port.run((x) => x.resign(1))); // she thinks at table 1 from 11 s to 16 s
    await s.clock.advance(30 * S);
    expect(atSeconds(juditMoves(s.events))).toEqual(['1@5', '2@10', '2@21']);
    expect(s.exh.board(2)!.lastMove!.startedAt).toBe(16 * S);
    expect(s.errors).toEqual([]);
  });
});

describe('draw offers', () => {
  it('Judit accepts when level past drawMinMove: the game is drawn by agreement', async () => {
    const s = running({ thinkSeconds: 5, drawMinMove: 1 }, ['A'], (clock) => new StubBrain(clock, { score: () => 0 }));
    moveAndOffer(s, 1, 10 * S);
    await s.clock.advance(20 * S);
    expect(drawEvents(s.events)).toEqual(['1:offered']);
    expect(s.exh.board(1)!.end).toEqual({ result: '1/2-1/2', reason: 'agreement', winner: null, at: 15 * S });
    expect(s.exh.board(1)!.ply).toBe(2); // she answered instead of moving
    expect(s.exh.status).toBe('finished');
    expect(s.exh.stats().juditBusyMs).toBe(10 * S);
    expect(s.exh.stats().results).toEqual({ wins: 0, draws: 1, losses: 0, unfinished: 0 });
  });

  it('Judit declines when she is ahead, and plays on; her think is counted once', async () => {
    const s = running({ thinkSeconds: 5, drawMinMove: 1 }, ['A'], (clock) => new StubBrain(clock, { score: () => 150 }));
    moveAndOffer(s, 1, 10 * S);
    await s.clock.advance(20 * S);
    expect(drawEvents(s.events)).toEqual(['1:offered', '1:declined']);
    const board = s.exh.board(1)!;
    expect(board.over).toBe(false);
    expect(board.drawOffered).toBe(false);
    expect(board.moves.map((m) => `${m.by}@${m.movedAt / S}`)).toEqual(['judit@5', 'opponent@10', 'judit@15']);
    const stats = s.exh.stats();
    expect(stats.juditBusyMs).toBe(10 * S);
    expect(stats.sequentialMs).toBe(20 * S); // 5 + 5 of hers, the opponent's 5 and the 5 under way since 15 s
    expect(stats.juditUtilisation).toBeCloseTo(10 / 20);
  });

  it('Judit declines a level position before drawMinMove', async () => {
    const s = running({ thinkSeconds: 5, drawMinMove: 20 }, ['A'], (clock) => new StubBrain(clock, { score: () => 0 }));
    moveAndOffer(s, 1, 10 * S);
    await s.clock.advance(20 * S);
    expect(drawEvents(s.events)).toEqual(['1:offered', '1:declined']);
    expect(s.exh.board(1)!.over).toBe(false);
  });

  it('after accepting a draw she gives the next table her full think', async () => {
    const s = running({ thinkSeconds: 5, drawMinMove: 1 }, ['A', 'B'], (clock) => new StubBrain(clock, { score: () => 0 }));
    moveAndOffer(s, 1, 7 * S);
    void moveAt(s, 2, 12 * S);
    await s.clock.advance(25 * S);
    expect(s.exh.board(1)!.end).toMatchObject({ reason: 'agreement', at: 15 * S });
    expect(atSeconds(juditMoves(s.events))).toEqual(['1@5', '2@10', '2@20']);
    expect(s.exh.stats().juditBusyMs).toBe(20 * S);
  });

  it('an offer made before the opponent’s move waits for her answer at her next move', async () => {
    const s = running({ thinkSeconds: 5, drawMinMove: 1 }, ['A'], (clock) => new StubBrain(clock, { score: () => 0 }));
    await s.clock.advance(6 * S);
    expect(s.port.run((x) => x.offerDraw(1))).toEqual({ ok: true });
    expect(s.port.run((x) => x.offerDraw(1))).toEqual({ ok: true }); // a second click changes nothing
    expect(drawEvents(s.events)).toEqual(['1:offered']);
    expect(s.exh.board(1)!.summary().drawOffered).toBe(true);
    await s.clock.advance(4 * S);
    expect(s.exh.board(1)!.over).toBe(false); // nothing to answer before the opponent has moved
    void moveAt(s, 1, 12 * S);
    await s.clock.advance(10 * S);
    expect(s.exh.board(1)!.end).toMatchObject({ reason: 'agreement', at: 17 * S });
  });

  it('no draw can be offered on a finished game or before the start', async () => {
    const s = running({ thinkSeconds: 5 }, ['A', 'B']);
    s.port.run((x) => x.resign(1));
    expect(s.port.run((x) => x.offerDraw(1))).toMatchObject({ ok: false, error: { code: 'GAME_OVER' } });
    expect(s.port.run((x) => x.offerDraw(7))).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const open = running({}, ['A']);
    open.port.run((x) => x.abort());
    expect(open.port.run((x) => x.offerDraw(1))).toMatchObject({ ok: false, error: { code: 'GAME_OVER' } });
  });

  it('the policy: from drawMinMove on, and only when she is not better than drawMaxCp', () => {
    const config = parseConfig({ boards: 1, drawMinMove: 20, drawMaxCp: 25 });
    expect(acceptsDraw(config, boardAfter(38), 0)).toBe(true); // white to play move 20
    expect(acceptsDraw(config, boardAfter(36), 0)).toBe(false); // move 19
    expect(acceptsDraw(config, boardAfter(39, 'black'), 0)).toBe(true); // black to play move 20
    expect(acceptsDraw(config, boardAfter(37, 'black'), 0)).toBe(false);
    expect(acceptsDraw(config, boardAfter(38), 25)).toBe(true);
    expect(acceptsDraw(config, boardAfter(38), 26)).toBe(false);
    expect(acceptsDraw(config, boardAfter(38), -900)).toBe(true); // worse: gladly
  });
});

describe('Judit resigns', () => {
  /** A brain whose evaluations (for Judit) run through `scores`, the last one repeating. */
  const hopeless = (scores: number[]) => (clock: Clock) => {
    let i = 0;
    return new StubBrain(clock, { score: () => scores[Math.min(i++, scores.length - 1)] });
  };

  it('after resignAfterMoves hopeless evaluations in a row, instead of her move', async () => {
    const s = running({ thinkSeconds: 5, resignCp: 700, resignAfterMoves: 3 }, ['A'], hopeless([-800]));
    opponents1s(s);
    await s.clock.advance(60 * S);
    const board = s.exh.board(1)!;
    expect(board.moves.filter((m) => m.by === 'judit')).toHaveLength(2);
    expect(board.end).toEqual({ result: '0-1', reason: 'resignation', winner: 'opponent', at: 17 * S });
    expect(s.exh.stats().results).toEqual({ wins: 0, draws: 0, losses: 1, unfinished: 0 });
    expect(s.exh.stats().juditBusyMs).toBe(15 * S);
  });

  it('a better evaluation in between starts the count again', async () => {
    const s = running({ thinkSeconds: 5, resignCp: 700, resignAfterMoves: 3 }, ['A'], hopeless([-800, -700, 0, -900, -800, -10_000]));
    opponents1s(s);
    await s.clock.advance(60 * S);
    expect(s.exh.board(1)!.moves.filter((m) => m.by === 'judit')).toHaveLength(5);
    expect(s.exh.board(1)!.end).toMatchObject({ reason: 'resignation', winner: 'opponent' });
  });

  it('as black her resignation scores 1-0', async () => {
    const s = running({ thinkSeconds: 5, juditColor: 'black', resignAfterMoves: 1 }, ['A'], hopeless([-800]));
    void moveAt(s, 1, 1 * S);
    await s.clock.advance(10 * S);
    expect(s.exh.board(1)!.end).toMatchObject({ result: '1-0', reason: 'resignation', winner: 'opponent', at: 6 * S });
  });

  it('never, when resignCp is null', async () => {
    const s = running({ thinkSeconds: 5, resignCp: null, resignAfterMoves: 1 }, ['A'], hopeless([-99_000]));
    opponents1s(s);
    await s.clock.advance(120 * S);
    expect(s.exh.board(1)!.over).toBe(false);
    expect(s.exh.board(1)!.ply).toBeGreaterThan(15);
  });

  it('her resignation is refused when it is not her move, changing nothing', async () => {
    const s = running({ thinkSeconds: 5 }, ['A']);
    await s.clock.advance(6 * S);
    const before = snapshot(s.exh);
    expect(s.port.run((x) => x.juditResign(1, 1, 5 * S))).toMatchObject({ ok: false, error: { code: 'NOT_YOUR_TURN' } });
    expect(s.port.run((x) => x.juditResign(1, 0, 5 * S))).toMatchObject({ ok: false, error: { code: 'STALE_PLY' } });
    expect(snapshot(s.exh)).toEqual(before);
  });
});

/** The opponent answers each of Judit's moves one second later. */
function opponents1s(s: Setup): void {
  s.port.on((e) => {
    if (e.type === 'move' && e.move.by === 'judit') void moveAt(s, e.table, e.move.movedAt + 1 * S);
  });
}
