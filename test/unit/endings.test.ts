import { describe, expect, it } from 'vitest';
import type { GameEnd } from '../../shared/domain.js';
import { Board } from '../../server/exhibition/board.js';
import { running, S, scriptedBrain, setup, type Setup } from './helpers.js';

const FOOLS_MATE = 'f2f3 e7e5 g2g4 d8h4'.split(' ');
const SCHOLARS_MATE = 'e2e4 e7e5 f1c4 b8c6 d1h5 g8f6 h5f7'.split(' ');
// Sam Loyd's ten-move stalemate: white's last move leaves black no legal move
const STALEMATE = 'e2e3 a7a5 d1h5 a8a6 h5a5 h7h5 h2h4 a6h6 a5c7 f7f6 c7d7 e8f7 d7b7 d8d3 b7b8 d3h7 b8c8 f7g6 c8e6'.split(' ');
const KNIGHTS_SHUFFLE = 'g1f3 g8f6 f3g1 f6g8 g1f3 g8f6 f3g1 f6g8'.split(' ');

/** Plays `ucis` on `table` through the exhibition's own commands, for whoever is to move. */
function playOut(s: Setup, table: number, ucis: string[]): void {
  for (const uci of ucis) {
    const board = s.exh.board(table)!;
    const now = s.exh.now();
    const r = board.juditToMove ? s.port.run((x) => x.juditMove(table, board.ply, uci, now)) : s.port.run((x) => x.move(table, board.ply, uci));
    if (!r.ok) throw new Error(`${uci}: ${r.error.message}`);
  }
}

/** An exhibition (not driven by Judit's loop) with table 1 replaced by a board starting from `fen`. */
function fromFen(fen: string, juditColor: 'white' | 'black' = 'white'): Setup {
  const s = setup({}, ['Ann']);
  s.exh.boards[0] = new Board(1, 'Ann', juditColor, fen);
  s.port.run((x) => x.start());
  return s;
}

function endOf(s: Setup, table = 1): GameEnd | null {
  return s.exh.board(table)!.end;
}

describe('endings through the exhibition', () => {
  it('checkmate by the opponent: Judit loses, the game is over, the exhibition finished', () => {
    const s = setup({}, ['Ann']);
    s.port.run((x) => x.start());
    playOut(s, 1, FOOLS_MATE);
    expect(endOf(s)).toEqual({ result: '0-1', reason: 'checkmate', winner: 'opponent', at: 0 });
    expect(s.exh.status).toBe('finished');
    const types = s.events.map((e) => e.type).filter((t) => t === 'move' || t === 'gameOver');
    expect(types.slice(-2)).toEqual(['move', 'gameOver']);
    const over = s.events.find((e) => e.type === 'gameOver');
    expect(over).toMatchObject({ table: 1, board: { end: { reason: 'checkmate' }, lastMove: 'd8h4' } });
  });

  it('checkmate by Judit: she wins', () => {
    const s = setup({}, ['Ann']);
    s.port.run((x) => x.start());
    playOut(s, 1, SCHOLARS_MATE);
    expect(endOf(s)).toMatchObject({ result: '1-0', reason: 'checkmate', winner: 'judit' });
    expect(s.exh.stats().results).toEqual({ wins: 1, draws: 0, losses: 0, unfinished: 0 });
  });

  it('checkmate when Judit has black scores 1-0 for the opponent', () => {
    const s = setup({ juditColor: 'black' }, ['Ann']);
    s.port.run((x) => x.start());
    playOut(s, 1, SCHOLARS_MATE);
    expect(endOf(s)).toMatchObject({ result: '1-0', reason: 'checkmate', winner: 'opponent' });
  });

  it('stalemate is a draw', () => {
    const s = setup({}, ['Ann']);
    s.port.run((x) => x.start());
    playOut(s, 1, STALEMATE);
    expect(endOf(s)).toMatchObject({ result: '1/2-1/2', reason: 'stalemate', winner: null });
  });

  it('threefold repetition is a draw the moment the position comes a third time', () => {
    const s = setup({}, ['Ann']);
    s.port.run((x) => x.start());
    playOut(s, 1, KNIGHTS_SHUFFLE.slice(0, 7));
    expect(endOf(s)).toBeNull();
    playOut(s, 1, KNIGHTS_SHUFFLE.slice(7));
    expect(endOf(s)).toMatchObject({ result: '1/2-1/2', reason: 'threefoldRepetition', winner: null });
  });

  it('the fifty-move rule is a draw on the hundredth quiet half-move', () => {
    const s = fromFen('7k/8/8/8/8/8/8/R3K3 w - - 98 80');
    playOut(s, 1, ['a1a2']);
    expect(endOf(s)).toBeNull();
    playOut(s, 1, ['h8g8']);
    expect(endOf(s)).toMatchObject({ result: '1/2-1/2', reason: 'fiftyMoveRule' });
  });

  it('a checkmate on the hundredth half-move is still a checkmate', () => {
    const s = fromFen('7k/8/6K1/8/8/8/8/R7 w - - 99 80');
    playOut(s, 1, ['a1a8']);
    expect(endOf(s)).toMatchObject({ result: '1-0', reason: 'checkmate', winner: 'judit' });
  });

  it('insufficient material is a draw', () => {
    const s = fromFen('4k3/8/8/8/8/8/3n4/4K3 w - - 0 1');
    playOut(s, 1, ['e1d2']);
    expect(endOf(s)).toMatchObject({ result: '1/2-1/2', reason: 'insufficientMaterial' });
  });

  it('an ending is dated when the deciding move was made', async () => {
    const s = setup({}, ['Ann']);
    s.port.run((x) => x.start());
    playOut(s, 1, FOOLS_MATE.slice(0, 3));
    await s.clock.advance(42 * S);
    playOut(s, 1, FOOLS_MATE.slice(3));
    expect(endOf(s)?.at).toBe(42 * S);
    expect(s.exh.finishedAt).toBe(42 * S);
  });
});

describe('endings in play, with Judit’s loop', () => {
  it('her mate ends the game and, the last one, the exhibition; she stops there', async () => {
    // scholar's mate on both boards: Judit has white at table 1 and mates, black at table 2 and is mated
    const s = running({ thinkSeconds: 5, juditColor: 'alternate' }, ['Ann', 'Bob'], (clock) => scriptedBrain(clock, [SCHOLARS_MATE]));
    const reply = (table: number) =>
      void s.clock.sleep(1 * S).then(() => {
        const b = s.exh.board(table)!;
        if (b.over) return;
        const r = s.port.run((x) => x.move(table, b.ply, SCHOLARS_MATE[b.ply]));
        if (!r.ok) s.errors.push(new Error(r.error.message));
      });
    s.port.on((e) => {
      if (e.type === 'move' && e.move.by === 'judit') reply(e.table);
    });
    reply(2); // the opponent with white at table 2 opens at 1 s
    await s.clock.run(() => s.exh.status === 'finished');
    expect(endOf(s, 2)).toEqual({ result: '1-0', reason: 'checkmate', winner: 'opponent', at: 31 * S });
    expect(endOf(s, 1)).toEqual({ result: '1-0', reason: 'checkmate', winner: 'judit', at: 35 * S });
    expect(s.exh.board(1)!.moves.filter((m) => m.by === 'judit').map((m) => m.movedAt / S)).toEqual([5, 15, 25, 35]);
    expect(s.exh.board(2)!.moves.filter((m) => m.by === 'judit').map((m) => m.movedAt / S)).toEqual([10, 20, 30]);
    expect(s.exh.finishedAt).toBe(35 * S);
    expect(s.exh.stats().results).toEqual({ wins: 1, draws: 0, losses: 1, unfinished: 0 });
    expect(s.exh.judit).toMatchObject({ table: null, activity: 'idle' });
    await s.clock.advance(600 * S);
    expect(s.clock.pending).toBe(0);
    expect(s.errors).toEqual([]);
  });
});

describe('Board.ruleEnd', () => {
  const after = (fen: string, ucis: string[], juditColor: 'white' | 'black' = 'white') => {
    const board = new Board(1, 'A', juditColor, fen);
    for (const uci of ucis) expect(board.play(uci, 0, 0)).not.toBeNull();
    return board.ruleEnd(7);
  };

  it('is null while the game goes on', () => {
    expect(after('rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1', ['e2e4'])).toBeNull();
  });

  it('names the winner by side and colour', () => {
    const start = 'rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1';
    expect(after(start, FOOLS_MATE, 'white')).toEqual({ result: '0-1', reason: 'checkmate', winner: 'opponent', at: 7 });
    expect(after(start, FOOLS_MATE, 'black')).toEqual({ result: '0-1', reason: 'checkmate', winner: 'judit', at: 7 });
  });

  it('K+B vs K and K vs K are insufficient; K+R vs K is not', () => {
    expect(after('4k3/8/8/8/8/8/3r4/4KB2 w - - 0 1', ['e1d2'])).toMatchObject({ reason: 'insufficientMaterial' });
    expect(after('4k3/8/8/8/8/8/3r4/4K3 w - - 0 1', ['e1d2'])).toMatchObject({ reason: 'insufficientMaterial' });
    expect(after('4k3/8/8/8/8/8/3n4/R3K3 w - - 0 1', ['e1d2'])).toBeNull();
  });
});
