import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../shared/errors.js';
import { juditMoves, quietMove, running, S, setup, snapshot, type Setup } from './helpers.js';

/** Runs `attempt`, expects it refused with `code`, and the exhibition exactly as it was, silently. */
function refused(s: Setup, code: ErrorCode, attempt: () => unknown): void {
  const before = snapshot(s.exh);
  const events = s.events.length;
  expect(attempt()).toMatchObject({ ok: false, error: { code, message: expect.any(String) } });
  expect(snapshot(s.exh)).toEqual(before);
  expect(s.events.length).toBe(events);
}

/** A started exhibition (no loop) where Judit opened 1.e4 at table 1: the opponent is to move at ply 1. */
function opened(): Setup {
  const s = setup({}, ['Ann', 'Bob']);
  s.port.run((x) => x.start());
  expect(s.port.run((x) => x.juditMove(1, 0, 'e2e4', 0)).ok).toBe(true);
  return s;
}

describe('the opponent’s bad moves change nothing', () => {
  it('an illegal move', () => {
    const s = opened();
    refused(s, 'ILLEGAL_MOVE', () => s.port.run((x) => x.move(1, 1, 'e7e4')));
    refused(s, 'ILLEGAL_MOVE', () => s.port.run((x) => x.move(1, 1, 'e2e3'))); // Judit's pawn
    refused(s, 'ILLEGAL_MOVE', () => s.port.run((x) => x.move(1, 1, 'e8e7'))); // blocked
  });

  it('garbage instead of a move', () => {
    const s = opened();
    for (const junk of ['', 'e7', 'e7e9', 'E7E5', 'e7e5x', 'e7-e5', 'O-O']) refused(s, 'ILLEGAL_MOVE', () => s.port.run((x) => x.move(1, 1, junk)));
  });

  it('a move out of turn', () => {
    const s = opened();
    refused(s, 'NOT_YOUR_TURN', () => s.port.run((x) => x.move(2, 0, 'e2e4'))); // Judit has white at table 2 and has not moved
  });

  it('a move on a finished game', () => {
    const s = opened();
    s.port.run((x) => x.resign(1));
    refused(s, 'GAME_OVER', () => s.port.run((x) => x.move(1, 1, 'e7e5')));
  });

  it('a move made from an older or a future position', () => {
    const s = opened();
    refused(s, 'STALE_PLY', () => s.port.run((x) => x.move(1, 0, 'e7e5')));
    refused(s, 'STALE_PLY', () => s.port.run((x) => x.move(1, 2, 'e7e5')));
    refused(s, 'STALE_PLY', () => s.port.run((x) => x.move(1, -1, 'e7e5')));
  });

  it('a move at a table nobody sits at', () => {
    const s = opened();
    refused(s, 'NOT_FOUND', () => s.port.run((x) => x.move(3, 1, 'e7e5')));
  });

  it('Judit’s own move replayed as the opponent’s is stale, not a duplicate', () => {
    const s = opened();
    s.port.run((x) => x.move(1, 1, 'e7e5'));
    refused(s, 'STALE_PLY', () => s.port.run((x) => x.move(1, 0, 'e2e4')));
  });
});

describe('a retried move is answered, never applied twice', () => {
  it('the same move from the same ply gets the same answer, marked duplicate, and changes nothing', () => {
    const s = opened();
    const first = s.port.run((x) => x.move(1, 1, 'e7e5'));
    expect(first).toMatchObject({ ok: true, duplicate: false, move: { ply: 2, san: 'e5', by: 'opponent' } });
    const before = snapshot(s.exh);
    const events = s.events.length;
    const again = s.port.run((x) => x.move(1, 1, 'e7e5'));
    expect(again).toEqual({ ok: true, duplicate: true, move: first.ok ? first.move : null });
    expect(snapshot(s.exh)).toEqual(before);
    expect(s.events.length).toBe(events);
    expect(s.exh.stats().opponentMoves).toBe(1);
  });

  it('even after Judit has answered it', () => {
    const s = opened();
    s.port.run((x) => x.move(1, 1, 'e7e5'));
    s.port.run((x) => x.juditMove(1, 2, 'g1f3', 0));
    const before = snapshot(s.exh);
    expect(s.port.run((x) => x.move(1, 1, 'e7e5'))).toMatchObject({ ok: true, duplicate: true, move: { ply: 2 } });
    expect(snapshot(s.exh)).toEqual(before);
  });

  it('even after the move ended the game and the exhibition', () => {
    const s = setup({}, ['Ann']);
    s.port.run((x) => x.start());
    s.port.run((x) => x.juditMove(1, 0, 'f2f3', 0));
    s.port.run((x) => x.move(1, 1, 'e7e5'));
    s.port.run((x) => x.juditMove(1, 2, 'g2g4', 0));
    expect(s.port.run((x) => x.move(1, 3, 'd8h4'))).toMatchObject({ ok: true, duplicate: false });
    expect(s.exh.status).toBe('finished');
    const before = snapshot(s.exh);
    expect(s.port.run((x) => x.move(1, 3, 'd8h4'))).toMatchObject({ ok: true, duplicate: true, move: { san: 'Qh4#' } });
    expect(snapshot(s.exh)).toEqual(before);
  });

  it('a different move from an already answered ply is stale', () => {
    const s = opened();
    s.port.run((x) => x.move(1, 1, 'e7e5'));
    refused(s, 'STALE_PLY', () => s.port.run((x) => x.move(1, 1, 'd7d5')));
  });
});

describe('commands in the wrong state change nothing', () => {
  it('before the start: no moves, resignations or draw offers', () => {
    const s = setup({}, ['Ann']);
    refused(s, 'WRONG_STATE', () => s.port.run((x) => x.move(1, 0, 'e2e4')));
    refused(s, 'WRONG_STATE', () => s.port.run((x) => x.resign(1)));
    refused(s, 'WRONG_STATE', () => s.port.run((x) => x.offerDraw(1)));
    refused(s, 'WRONG_STATE', () => s.port.run((x) => x.juditMove(1, 0, 'e2e4', 0)));
    refused(s, 'WRONG_STATE', () => s.port.run((x) => x.adjudicate(1, null)));
    refused(s, 'WRONG_STATE', () => s.port.run((x) => x.pause()));
    refused(s, 'WRONG_STATE', () => s.port.run((x) => x.resume()));
  });

  it('after an abort: nothing moves any more', () => {
    const s = opened();
    s.port.run((x) => x.abort());
    refused(s, 'GAME_OVER', () => s.port.run((x) => x.move(1, 1, 'e7e5')));
    refused(s, 'GAME_OVER', () => s.port.run((x) => x.resign(2)));
    refused(s, 'WRONG_STATE', () => s.port.run((x) => x.kick(2)));
    refused(s, 'WRONG_STATE', () => s.port.run((x) => x.start()));
    refused(s, 'WRONG_STATE', () => s.port.run((x) => x.takeSeat('Cy')));
    refused(s, 'WRONG_STATE', () => s.port.run((x) => x.juditMove(2, 0, 'e2e4', 0)));
  });

  it('Judit’s commands: paused, stale, out of turn, illegal, no offer pending', () => {
    const s = opened();
    refused(s, 'NOT_YOUR_TURN', () => s.port.run((x) => x.juditMove(1, 1, 'e7e5', 0)));
    refused(s, 'STALE_PLY', () => s.port.run((x) => x.juditMove(2, 1, 'e2e4', 0)));
    refused(s, 'ILLEGAL_MOVE', () => s.port.run((x) => x.juditMove(2, 0, 'e2e5', 0)));
    refused(s, 'NOT_FOUND', () => s.port.run((x) => x.juditMove(5, 0, 'e2e4', 0)));
    refused(s, 'WRONG_STATE', () => s.port.run((x) => x.answerDraw(1, true, 0)));
    s.port.run((x) => x.pause());
    refused(s, 'WRONG_STATE', () => s.port.run((x) => x.juditMove(2, 0, 'e2e4', 0)));
  });

  it('adjudicating a finished game', () => {
    const s = opened();
    s.port.run((x) => x.resign(1));
    refused(s, 'GAME_OVER', () => s.port.run((x) => x.adjudicate(1, 'judit')));
  });
});

describe('bad input while Judit plays', () => {
  it('does not disturb her: her moves come exactly when they would have', async () => {
    const s = running({ thinkSeconds: 5 }, ['Ann', 'Bob']);
    await s.clock.advance(2 * S);
    for (const junk of ['e2e4', 'zz', 'e7e5']) s.port.run((x) => x.move(1, 0, junk));
    s.port.run((x) => x.move(2, 3, 'e7e5'));
    s.port.run((x) => x.move(9, 0, 'e7e5'));
    await s.clock.advance(8 * S);
    expect(juditMoves(s.events).map(([t, at]) => `${t}@${at / S}`)).toEqual(['1@5', '2@10']);
    const b = s.exh.board(1)!;
    expect(s.port.run((x) => x.move(1, 1, quietMove(b.chess.fen()))).ok).toBe(true);
  });
});
