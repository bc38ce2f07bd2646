import { describe, expect, it } from 'vitest';
import { Game } from '../../client/src/game.js';
import { piecesInWords, sanInWords } from '../../client/src/speech.js';
import { STANDARD_FEN } from '../../shared/chess.js';

describe('a move typed on the keyboard', () => {
  const start = new Game(STANDARD_FEN, []);
  it('is read as SAN or UCI', () => {
    expect(start.typed('e4')).toBe('e2e4');
    expect(start.typed('Nf3')).toBe('g1f3');
    expect(start.typed('g1f3')).toBe('g1f3');
    expect(start.typed(' e2-e4 ')).toBe('e2e4');
  });
  it('is refused when it is no legal move here', () => {
    expect(start.typed('e5')).toBeNull();
    expect(start.typed('Nf4')).toBeNull();
    expect(start.typed('O-O')).toBeNull();
    expect(start.typed('hello')).toBeNull();
  });
  it('castles and promotes', () => {
    const castling = new Game('r3k2r/8/8/8/8/8/8/R3K2R w KQkq - 0 1', []);
    expect(castling.typed('O-O')).toBe('e1g1');
    expect(castling.typed('0-0-0')).toBe('e1c1');
    const promotion = new Game('8/4P3/8/8/8/8/k7/6K1 w - - 0 1', []);
    expect(promotion.typed('e7e8=N')).toBe('e7e8n');
    expect(promotion.typed('e8=Q')).toBe('e7e8q');
    expect(promotion.typed('e7e8q')).toBe('e7e8q');
  });
});

describe('a move in words', () => {
  it('says the piece, the capture, the square and the check', () => {
    expect(sanInWords('Nf6')).toBe('knight f6');
    expect(sanInWords('exd5')).toBe('pawn e takes d5');
    expect(sanInWords('Qxf7#')).toBe('queen takes f7, checkmate');
    expect(sanInWords('O-O-O+')).toBe('castles queenside, check');
    expect(sanInWords('e8=Q')).toBe('pawn e8 promotes to queen');
  });
  it('lists where each side stands', () => {
    const board = new Game('4k3/8/8/8/8/8/8/R3K2R w KQ - 0 1', []).squares();
    expect(piecesInWords(board, 'w')).toBe('king e1; rooks a1 and h1');
    expect(piecesInWords(board, 'b')).toBe('king e8');
  });
});
