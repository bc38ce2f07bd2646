import { describe, expect, it } from 'vitest';
import type { ExhibitionEvent } from '../../shared/events.js';
import { moveAt, opponents, quietMove, running, S, snapshot } from './helpers.js';

const gameOvers = (events: ExhibitionEvent[]) =>
  events.flatMap((e) => (e.type === 'gameOver' ? [{ table: e.table, reason: e.end.reason, at: e.end.at }] : []));

describe('passes', () => {
  it('an opponent found not ready more than maxPasses times forfeits', async () => {
    const s = running({ thinkSeconds: 5, maxPasses: 2 }, ['A', 'B']);
    opponents(s, (table) => (table === 2 ? 1 * S : null));
    await s.clock.advance(30 * S);
    // she waits at table 1 until table 2 calls her: at 11 s (6 s after her move: no pass), then at
    // 17 s, 23 s and 29 s (a round of 10 s and more: passes, the third a forfeit)
    expect(s.exh.board(1)!.passes).toBe(3);
    expect(s.exh.board(1)!.end).toEqual({ result: '1-0', reason: 'forfeitPasses', winner: 'judit', at: 29 * S });
    expect(gameOvers(s.events)).toEqual([{ table: 1, reason: 'forfeitPasses', at: 29 * S }]);
    expect(s.exh.board(2)!.over).toBe(false);
  });

  it('with maxPasses 0 an opponent who let a full round go by forfeits when she walks on', async () => {
    const s = running({ thinkSeconds: 5, maxPasses: 0 }, ['A', 'B', 'C']);
    opponents(s, (table) => (table === 2 ? 3 * S : null)); // table 2 is ready when she comes round
    await s.clock.advance(25 * S);
    // at 15 s table 1 has had 10 s of a 15 s round: she walks on without a pass; at 23 s, from table
    // 3 back to 1, it has had 18 s
    expect(s.exh.board(1)!.end).toMatchObject({ reason: 'forfeitPasses', at: 23 * S });
    expect(s.exh.board(2)!.over).toBe(false);
  });

  it('the last game left is not forfeited by passes while its opponent answers promptly', async () => {
    // with one table left there is no round to walk: she must not "find" the opponent not ready
    // the instant after her own move
    for (const boards of [['A'], ['A', 'B']]) {
      const s = running({ thinkSeconds: 5, maxPasses: 1 }, boards);
      s.port.run((x) => x.resign(2)); // with two seats, one game ends at once
      opponents(s, 2 * S);
      await s.clock.advance(600 * S);
      expect(s.exh.board(1)!.over).toBe(false);
      expect(s.exh.board(1)!.ply).toBeGreaterThan(100);
      expect(s.exh.board(1)!.passes).toBe(0);
      expect(s.errors).toEqual([]);
    }
  });

  it('with patience, the one table left is never passed: she has nowhere else to go', async () => {
    const s = running({ thinkSeconds: 5, patienceSeconds: 10, maxPasses: 1 }, ['A']);
    opponents(s, 12 * S);
    await s.clock.advance(600 * S);
    expect(s.exh.board(1)!.over).toBe(false);
    expect(s.exh.board(1)!.passes).toBe(0);
  });

  it('without a limit passes are counted but never forfeit', async () => {
    const s = running({ thinkSeconds: 5 }, ['A', 'B']);
    opponents(s, (table) => (table === 1 ? 20 * S : 1 * S)); // table 1 slower than her round of 10 s
    await s.clock.advance(250 * S);
    expect(s.exh.board(1)!.passes).toBeGreaterThan(5);
    expect(s.exh.board(2)!.passes).toBe(0);
    for (const b of s.exh.boards) expect(b.over).toBe(false);
  });

  it('as black, nobody is charged a pass before they could make their first move', async () => {
    // every opponent has white: even with no pass allowed, nobody forfeits at the start
    const s = running({ thinkSeconds: 5, juditColor: 'black', maxPasses: 0 }, ['A', 'B', 'C']);
    await s.clock.advance(0);
    expect(s.exh.boards.map((b) => b.passes)).toEqual([0, 0, 0]);
    expect(s.exh.openGames).toBe(3);
    expect(s.exh.judit.activity).toBe('resting');
  });

  it('as black with one pass allowed, the opening costs nobody their game', async () => {
    const s = running({ thinkSeconds: 5, juditColor: 'black', maxPasses: 1 }, ['A', 'B', 'C']);
    void moveAt(s, 3, 2 * S);
    await s.clock.advance(4 * S);
    // woken by table 3 at 2 s she walks past 1 and 2, whose opponents have had only 2 s: no pass
    expect(s.exh.boards.map((b) => b.passes)).toEqual([0, 0, 0]);
    expect(s.exh.openGames).toBe(3);
  });

  it('a pause and resume charge nobody a pass', async () => {
    const s = running({ thinkSeconds: 5 }, ['A', 'B']);
    await s.clock.advance(10 * S);
    for (let i = 0; i < 3; i++) {
      s.port.run((x) => x.pause());
      s.port.run((x) => x.resume());
      await s.clock.advance(10 * S);
    }
    expect(s.exh.boards.map((b) => b.passes)).toEqual([0, 0]);
    expect(s.exh.judit.activity).toBe('resting');
  });
});

describe('per-move limit', () => {
  it('an opponent who does not move in time forfeits at the exact deadline', async () => {
    const s = running({ thinkSeconds: 5, opponentMoveLimitSeconds: 60 }, ['A']);
    await s.clock.advance(64_999);
    expect(s.exh.board(1)!.over).toBe(false);
    await s.clock.advance(1);
    expect(s.exh.board(1)!.end).toEqual({ result: '1-0', reason: 'forfeitTime', winner: 'judit', at: 65 * S });
    expect(s.exh.status).toBe('finished');
    expect(s.exh.finishedAt).toBe(65 * S);
  });

  it('a move just inside the limit is accepted', async () => {
    const s = running({ thinkSeconds: 5, opponentMoveLimitSeconds: 60 }, ['A']);
    void moveAt(s, 1, 64_999);
    await s.clock.advance(70 * S);
    expect(s.errors).toEqual([]);
    expect(s.exh.board(1)!.over).toBe(false);
    expect(s.exh.board(1)!.moves.map((m) => `${m.by}@${m.movedAt}`)).toEqual(['judit@5000', 'opponent@64999', 'judit@69999']);
  });

  it('a move at the very deadline is refused, whichever of the two happens first', async () => {
    for (const opponentFirst of [true, false]) {
      const s = running({ thinkSeconds: 5, opponentMoveLimitSeconds: 60 }, ['A']);
      let answer: unknown = null;
      const late = () => {
        const b = s.exh.board(1)!;
        answer = s.port.run((x) => x.move(1, b.ply, quietMove(b.chess.fen())));
      };
      // the opponent's timer is set before Judit rests (t = 0) or after (t = 6 s)
      if (opponentFirst) void s.clock.sleep(65 * S).then(late);
      else void s.clock.sleep(6 * S).then(() => s.clock.sleep(59 * S).then(late));
      await s.clock.advance(70 * S);
      expect(answer).toMatchObject({ ok: false, error: { code: 'GAME_OVER' } });
      expect(s.exh.board(1)!.end).toMatchObject({ reason: 'forfeitTime', at: 65 * S });
      expect(s.exh.board(1)!.ply).toBe(1);
    }
  });

  it('a late move while Judit is busy elsewhere is refused and the game forfeited as of the deadline', async () => {
    const s = running({ thinkSeconds: 40, opponentMoveLimitSeconds: 60 }, ['A', 'B', 'C']);
    await s.clock.advance(110 * S); // Judit moved at table 1 at 40 s; she thinks at table 3 from 80 s to 120 s
    expect(s.exh.judit).toMatchObject({ table: 3, activity: 'thinking' });
    const board = s.exh.board(1)!;
    const r = s.port.run((x) => x.move(1, 1, quietMove(board.chess.fen())));
    expect(r).toMatchObject({ ok: false, error: { code: 'GAME_OVER' } });
    expect(board.end).toEqual({ result: '1-0', reason: 'forfeitTime', winner: 'judit', at: 100 * S });
    expect(board.ply).toBe(1);
    // and a second attempt is just a move on a finished game, changing nothing
    const before = snapshot(s.exh);
    expect(s.port.run((x) => x.move(1, 1, quietMove(board.chess.fen())))).toMatchObject({ ok: false, error: { code: 'GAME_OVER' } });
    expect(snapshot(s.exh)).toEqual(before);
  });

  it('Judit forfeits overdue games as soon as she is free, dated at their deadlines', async () => {
    const s = running({ thinkSeconds: 40, opponentMoveLimitSeconds: 60 }, ['A', 'B', 'C']);
    await s.clock.advance(120 * S);
    expect(gameOvers(s.events)).toEqual([{ table: 1, reason: 'forfeitTime', at: 100 * S }]);
    await s.clock.advance(30 * S);
    expect(gameOvers(s.events)).toEqual([
      { table: 1, reason: 'forfeitTime', at: 100 * S },
      { table: 2, reason: 'forfeitTime', at: 140 * S },
    ]);
  });

  it('each move restarts the opponent’s limit', async () => {
    const s = running({ thinkSeconds: 5, opponentMoveLimitSeconds: 60 }, ['A']);
    opponents(s, 50 * S); // always inside the limit
    await s.clock.advance(3_600 * S);
    expect(s.exh.board(1)!.over).toBe(false);
    expect(s.exh.board(1)!.ply).toBeGreaterThan(100);
    expect(s.errors).toEqual([]);
  });
});
