/** The player's game as the browser replays it: the server's moves on chess.js, for legal destinations. */
import { Chess, type Square } from 'chess.js';
import type { Key } from '@lichess-org/chessground/types';
import type { Color, MoveRecord } from '../../shared/domain.js';

export class Game {
  private readonly chess: Chess;
  readonly moves: MoveRecord[] = [];

  constructor(
    readonly startFen: string,
    moves: readonly MoveRecord[],
  ) {
    this.chess = new Chess(startFen);
    for (const m of moves) this.apply(m);
  }

  get ply(): number {
    return this.moves.length;
  }

  fen(): string {
    return this.chess.fen();
  }

  turn(): Color {
    return this.chess.turn() === 'w' ? 'white' : 'black';
  }

  inCheck(): boolean {
    return this.chess.inCheck();
  }

  /** Every legal move of the side to move, as chessground wants them. */
  dests(): Map<Key, Key[]> {
    const dests = new Map<Key, Key[]>();
    for (const m of this.chess.moves({ verbose: true })) {
      const list = dests.get(m.from);
      if (list) list.push(m.to);
      else dests.set(m.from, [m.to]);
    }
    return dests;
  }

  isPromotion(from: Key, to: Key): boolean {
    return this.chess.moves({ square: from as Square, verbose: true }).some((m) => m.to === to && m.promotion);
  }

  /** Appends the server's next move; false when it is not the next one (a gap: fetch the board again). */
  apply(move: MoveRecord): boolean {
    if (move.ply <= this.moves.length) return true; // known already
    if (move.ply !== this.moves.length + 1) return false;
    const from = move.uci.slice(0, 2);
    const to = move.uci.slice(2, 4);
    const promotion = move.uci[4];
    try {
      this.chess.move({ from, to, ...(promotion ? { promotion } : {}) });
    } catch {
      return false;
    }
    this.moves.push(move);
    return true;
  }

  /** Every piece on the board, rank 8 first (chess.js's board). */
  squares(): ReturnType<Chess['board']> {
    return this.chess.board();
  }

  /**
   * A move typed by the player, in SAN (`Nf3`, `O-O`, `e8=Q`) or UCI (`g1f3`, `e7e8=N`), as the UCI
   * the server takes; null when it is no legal move of the side to move.
   */
  typed(text: string): string | null {
    const t = text.trim().replace(/^0-0-0$/, 'O-O-O').replace(/^0-0$/, 'O-O');
    if (!t) return null;
    const legal = this.chess.moves({ verbose: true });
    const uci = /^([a-h][1-8])-?([a-h][1-8])=?([qrbnQRBN])?$/.exec(t);
    if (uci) {
      const [, from, to, promotion] = uci;
      const found = legal.find((m) => m.from === from && m.to === to && (m.promotion ?? '') === (promotion ?? '').toLowerCase());
      if (found) return found.lan;
    }
    const bare = (san: string) => san.replace(/[+#!?]+$/, '').replace('=', '');
    const found = legal.find((m) => bare(m.san) === bare(t));
    return found ? found.lan : null;
  }

  lastMove(): [Key, Key] | undefined {
    const last = this.moves[this.moves.length - 1];
    return last ? uciKeys(last.uci) : undefined;
  }
}

export function uciKeys(uci: string): [Key, Key] {
  return [uci.slice(0, 2) as Key, uci.slice(2, 4) as Key];
}
