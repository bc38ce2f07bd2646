import { describe, expect, it } from 'vitest';
import { juditMoves, moveAt, quietMove, running, S, snapshot } from './helpers.js';

const atSeconds = (moves: [number, number][]) => moves.map(([t, at]) => `${t}@${at / S}`);

describe('pause and resume', () => {
  it('Judit stops mid-think at once: no move, no timer left', async () => {
    const s = running({ thinkSeconds: 5 }, ['A', 'B']);
    await s.clock.advance(2 * S);
    expect(s.exh.judit).toMatchObject({ table: 1, activity: 'thinking' });
    s.port.run((x) => x.pause());
    await s.clock.advance(0);
    expect(s.clock.pending).toBe(0);
    await s.clock.advance(3_600 * S);
    expect(juditMoves(s.events)).toEqual([]);
    expect(s.exh.stats().juditBusyMs).toBe(0);
  });

  it('on resume she goes back to the table she left and thinks there afresh', async () => {
    const s = running({ thinkSeconds: 5 }, ['A', 'B', 'C']);
    await s.clock.advance(7 * S); // moved at table 1, thinking at table 2 since 5 s
    s.port.run((x) => x.pause());
    await s.clock.advance(100 * S);
    s.port.run((x) => x.resume());
    await s.clock.advance(10 * S);
    expect(atSeconds(juditMoves(s.events))).toEqual(['1@5', '2@112', '3@117']);
    expect(s.exh.board(2)!.lastMove!.startedAt).toBe(107 * S);
    expect(s.exh.stats().juditBusyMs).toBe(15 * S);
  });

  it('pause time counts neither in elapsed time nor in anyone’s thinking time', async () => {
    const s = running({ thinkSeconds: 5 }, ['A']);
    await s.clock.advance(8 * S); // Judit moved at 5 s; the opponent thinks
    s.port.run((x) => x.pause());
    await s.clock.advance(42 * S);
    expect(s.exh.stats().elapsedMs).toBe(8 * S); // frozen while paused
    await s.clock.advance(58 * S);
    s.port.run((x) => x.resume()); // at 108 s, after 100 s of pause
    void moveAt(s, 1, 113 * S);
    await s.clock.advance(10 * S);
    const reply = s.exh.board(1)!.moves[1];
    expect(reply).toMatchObject({ by: 'opponent', readyAt: 105 * S, movedAt: 113 * S });
    const stats = s.exh.stats();
    expect(stats.elapsedMs).toBe(18 * S);
    expect(stats.juditBusyMs).toBe(10 * S);
    expect(stats.opponentAvgMs).toBe(8 * S);
    expect(stats.sequentialMs).toBe(18 * S);
    expect(atSeconds(juditMoves(s.events))).toEqual(['1@5', '1@118']);
  });

  it('the per-move limit stands still during a pause', async () => {
    const s = running({ thinkSeconds: 5, opponentMoveLimitSeconds: 60 }, ['A']);
    await s.clock.advance(10 * S);
    s.port.run((x) => x.pause());
    await s.clock.advance(1_000 * S);
    expect(s.exh.board(1)!.over).toBe(false);
    s.port.run((x) => x.resume()); // at 1,010 s: 55 s of the limit are left
    expect(s.exh.nextDeadline()).toBe(1_065 * S);
    await s.clock.advance(54 * S);
    expect(s.exh.board(1)!.over).toBe(false);
    await s.clock.advance(1 * S);
    expect(s.exh.board(1)!.end).toMatchObject({ reason: 'forfeitTime', at: 1_065 * S });
  });

  it('no move can be made or draw offered while paused, and nothing changes', async () => {
    const s = running({ thinkSeconds: 5 }, ['A']);
    await s.clock.advance(6 * S);
    s.port.run((x) => x.pause());
    const before = snapshot(s.exh);
    const b = s.exh.board(1)!;
    expect(s.port.run((x) => x.move(1, 1, quietMove(b.chess.fen())))).toMatchObject({ ok: false, error: { code: 'WRONG_STATE' } });
    expect(s.port.run((x) => x.offerDraw(1))).toMatchObject({ ok: false, error: { code: 'WRONG_STATE' } });
    expect(snapshot(s.exh)).toEqual(before);
  });

  it('a resting Judit stops on pause, rests again on resume, and still wakes for a move', async () => {
    const s = running({ thinkSeconds: 5 }, ['A', 'B']);
    await s.clock.advance(20 * S);
    expect(s.exh.judit).toMatchObject({ table: 1, activity: 'resting' });
    const rests = s.counters.rests;
    s.port.run((x) => x.pause());
    await s.clock.advance(20 * S);
    s.port.run((x) => x.resume());
    await s.clock.advance(3_600 * S);
    expect(s.exh.judit.activity).toBe('resting');
    expect(s.counters.rests).toBe(rests + 1);
    expect(s.clock.pending).toBe(0);
    void moveAt(s, 1, 3_700 * S);
    await s.clock.advance(200 * S);
    expect(atSeconds(juditMoves(s.events))).toEqual(['1@5', '2@10', '1@3705']);
  });

  it('a pause while she walks cuts the walk short; she walks again after the resume', async () => {
    const s = running({ thinkSeconds: 5, walkSeconds: 4 }, ['A', 'B']);
    await s.clock.advance(2 * S);
    expect(s.exh.judit).toMatchObject({ table: 1, activity: 'walking' });
    s.port.run((x) => x.pause());
    await s.clock.advance(10 * S);
    s.port.run((x) => x.resume());
    await s.clock.advance(9 * S);
    expect(atSeconds(juditMoves(s.events))).toEqual(['1@21']);
    expect(s.exh.stats().juditWalkMs).toBe(4 * S);
  });

  it('a game resigned during a pause ends; the last one finishes the exhibition without counting the pause', async () => {
    const s = running({ thinkSeconds: 5 }, ['A', 'B']);
    await s.clock.advance(10 * S);
    s.port.run((x) => x.pause());
    await s.clock.advance(50 * S);
    expect(s.port.run((x) => x.resign(1))).toEqual({ ok: true });
    expect(s.exh.status).toBe('paused');
    await s.clock.advance(50 * S);
    expect(s.port.run((x) => x.resign(2))).toEqual({ ok: true });
    expect(s.exh.status).toBe('finished');
    await s.clock.advance(50 * S);
    expect(s.exh.stats().elapsedMs).toBe(10 * S);
    expect(s.port.run((x) => x.resume())).toMatchObject({ ok: false, error: { code: 'WRONG_STATE' } });
  });

  it('an abort during a pause does not count the pause as playing time', async () => {
    const s = running({ thinkSeconds: 5 }, ['A']);
    await s.clock.advance(10 * S);
    s.port.run((x) => x.pause());
    await s.clock.advance(500 * S);
    s.port.run((x) => x.abort());
    expect(s.exh.stats().elapsedMs).toBe(10 * S);
  });

  it('repeated pauses add up', async () => {
    const s = running({ thinkSeconds: 5 }, ['A']);
    for (let i = 0; i < 3; i++) {
      await s.clock.advance(10 * S);
      s.port.run((x) => x.pause());
      await s.clock.advance(30 * S);
      s.port.run((x) => x.resume());
    }
    await s.clock.advance(1 * S);
    expect(s.exh.pausedMs).toBe(90 * S);
    expect(s.exh.stats().elapsedMs).toBe(31 * S);
  });
});
