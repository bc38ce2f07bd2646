import { describe, expect, it } from 'vitest';
import { Exhibition } from '../../server/exhibition/exhibition.js';
import { boardPgn } from '../../server/pgn.js';
import { juditMoves, moveAt, opponents, running, S } from './helpers.js';
import { DirectPort } from '../../server/rooms/direct.js';
import { FastBrain } from '../../server/judit/fast-brain.js';

const clock = (initialSeconds: number, incrementSeconds = 0, giverExtraSeconds = 0) => ({ initialSeconds, incrementSeconds, giverExtraSeconds });

/** When each game ended, by table, as [reason, winner, at in ms]. */
const endings = (exh: Exhibition) => exh.boards.map((b) => (b.end ? [b.end.reason, b.end.winner, b.end.at] : null));

describe('clock simuls', () => {
  it('Judit’s clock on a board runs while she is at the other tables: her clocks drain in parallel', async () => {
    // she walks 4 s to each table and thinks 1 s there; the opponents have not answered yet
    const s = running({ clock: clock(40), thinkSeconds: 1, walkSeconds: 4 }, ['A', 'B', 'C']);
    await s.clock.advance(15 * S);
    expect(juditMoves(s.events)).toEqual([[1, 5 * S], [2, 10 * S], [3, 15 * S]]);
    // each board's clock counts from the start, not from her arrival there
    expect(s.exh.boards.map((b) => b.lastMove!.clockMs)).toEqual([35 * S, 30 * S, 25 * S]);
    expect(s.exh.boards.map((b) => b.clocks)).toEqual([
      { judit: 35 * S, opponent: 40 * S },
      { judit: 30 * S, opponent: 40 * S },
      { judit: 25 * S, opponent: 40 * S },
    ]);
  });

  it('an opponent who does not move flags at the very millisecond their time runs out', async () => {
    const s = running({ clock: clock(40), thinkSeconds: 1, walkSeconds: 4 }, ['A', 'B', 'C']);
    const endedAt: number[] = [];
    s.port.on((e) => e.type === 'gameOver' && endedAt.push(s.clock.now()));
    await s.clock.advance(45 * S - 1);
    expect(s.exh.board(1)!.over).toBe(false);
    await s.clock.advance(1);
    expect(s.exh.board(1)!.end).toEqual({ result: '1-0', reason: 'flag', winner: 'judit', at: 45 * S });
    expect(s.exh.board(1)!.clocks).toEqual({ judit: 35 * S, opponent: 0 });
    await s.clock.advance(20 * S);
    expect(endings(s.exh)).toEqual([
      ['flag', 'judit', 45 * S],
      ['flag', 'judit', 50 * S],
      ['flag', 'judit', 55 * S],
    ]);
    // announced at that instant, not at Judit's next look at the board
    expect(endedAt).toEqual([45 * S, 50 * S, 55 * S]);
    expect(s.exh.status).toBe('finished');
  });

  it('Judit flags where she has not come back in time, even while walking elsewhere; the increment comes after each move', async () => {
    const s = running({ clock: clock(13, 2), thinkSeconds: 0.2, walkSeconds: 5 }, ['A', 'B', 'C']);
    opponents(s, 0); // they answer at once: her clocks run all the time
    await s.clock.advance(11 * S);
    // 13 s − 5.2 s + 2 s at table 1; at table 2 she had 2.8 s left on arrival and thought a twentieth of it
    expect(s.exh.board(1)!.moves.map((m) => m.clockMs)).toEqual([9_800, 15 * S]);
    expect(s.exh.board(2)!.moves.map((m) => m.clockMs)).toEqual([4_660, 15 * S]);
    await s.clock.advance(9 * S);
    expect(endings(s.exh)).toEqual([
      ['flag', 'opponent', 15 * S],
      ['flag', 'opponent', 15 * S],
      ['flag', 'opponent', 13 * S], // she was still walking there
    ]);
    expect(s.exh.board(3)!.end!.result).toBe('0-1');
    expect(s.errors).toEqual([]);
  });

  it('a move on the last millisecond counts; one on the flag does not', async () => {
    const s = running({ clock: clock(60), thinkSeconds: 1, juditColor: 'black' }, ['A', 'B']);
    await s.clock.advance(0);
    void moveAt(s, 1, 60 * S - 1);
    await s.clock.advance(60 * S);
    expect(s.exh.board(1)!.moves[0]).toMatchObject({ by: 'opponent', clockMs: 1 });
    expect(s.exh.board(2)!.end).toMatchObject({ reason: 'flag', winner: 'judit', at: 60 * S });
    const late = s.port.run((x) => x.move(2, 0, 'e2e4'));
    expect(late.ok).toBe(false);
  });

  it('Judit has her extra time on every board, and thinks faster when a board’s clock runs low', async () => {
    const s = running({ clock: clock(10, 0, 50), thinkSeconds: 5 }, ['A']);
    expect(s.exh.board(1)!.clocks).toEqual({ judit: 60 * S, opponent: 10 * S });
    await s.clock.advance(3 * S); // a twentieth of her 60 s
    expect(juditMoves(s.events)).toEqual([[1, 3 * S]]);
  });

  it('a pause stops every clock; resumed, they run on from where they stood', async () => {
    const s = running({ clock: clock(40), thinkSeconds: 1, walkSeconds: 4 }, ['A', 'B', 'C']);
    await s.clock.advance(20 * S); // Judit moved everywhere by 15 s; the opponents have used 15, 10 and 5 s
    s.port.run((x) => x.pause());
    await s.clock.advance(1_000 * S);
    expect(s.exh.boards.every((b) => !b.over)).toBe(true);
    s.port.run((x) => x.resume()); // at 1,020 s
    expect(s.exh.nextDeadline()).toBe(1_045 * S);
    await s.clock.advance(40 * S);
    expect(endings(s.exh).map((e) => e![2])).toEqual([1_045 * S, 1_050 * S, 1_055 * S]);
  });

  it('after a restart the clocks are as they were stored, and the time the server was down counts against no one', async () => {
    const s = running({ clock: clock(40), thinkSeconds: 1, walkSeconds: 4 }, ['A', 'B', 'C']);
    await s.clock.advance(20 * S);
    // the server stops at 20 s: what it stored is read back at 500 s
    const record = {
      id: s.exh.id,
      createdAt: s.exh.createdAt,
      header: s.exh.header(),
      boards: s.exh.boards.map((b) => ({ state: structuredClone(b.state()), moves: structuredClone(b.moves) })),
    };
    s.port.run((x) => x.pause()); // the old one's Judit stops
    await s.clock.advance(480 * S);
    const back = Exhibition.restore(record, s.clock);
    expect(back.boards.map((b) => b.clocks)).toEqual(s.exh.boards.map((b) => b.clocks));
    expect(back.status).toBe('paused');
    const port = new DirectPort(back);
    port.employ({ clock: s.clock, brain: new FastBrain({ clock: s.clock, prolong: true }) }, (e) => s.errors.push(e));
    port.run((x) => x.resume()); // at 500 s, 480 s after it stopped
    await s.clock.advance(40 * S);
    expect(endings(back).map((e) => e![2])).toEqual([525 * S, 530 * S, 535 * S]);
  });

  it('the PGN carries the time control, each move’s clock and the time forfeit', async () => {
    const s = running({ clock: clock(600, 5, 3_000), thinkSeconds: 1 }, ['A']);
    void moveAt(s, 1, 62 * S); // Judit moved at 1 s; the opponent thinks 61 s
    await s.clock.advance(62 * S + 600 * S + 5 * S + 60 * S);
    const pgn = boardPgn(s.exh, s.exh.board(1)!, 'test');
    expect(pgn).toContain('[TimeControl "600+5"]');
    expect(pgn).toContain('[Termination "time forfeit"]');
    // Judit: 3,600 s − 1 s + 5 s; the opponent: 600 s − 61 s + 5 s; then Judit again after 1 s
    expect(pgn).toMatch(/\]\n\n1\. /);
    expect(pgn.split('\n').every((line) => line.length <= 79)).toBe(true);
    const movetext = pgn.slice(pgn.indexOf('\n\n')).replace(/\s+/g, ' ');
    expect(movetext).toMatch(/^ 1\. \S+ \{\[%clk 1:00:04\]\} \S+ \{\[%clk 0:09:04\]\} 2\. \S+ \{\[%clk 1:00:08\] Time forfeit: the flag fell\} 1-0 $/);
  });
});
