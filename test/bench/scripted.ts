/** Games known in advance, for the benches that time the server's own work rather than chess. */
import { Chess } from 'chess.js';
import { parseUci } from '../../shared/chess.js';
import type { Brain, ThinkRequest, Thought } from '../../server/judit/brain.js';
import { chooseMove, seededRandom } from '../../server/judit/fast-brain.js';

export interface Games {
  /** Judit's move in every position she meets: her games differ only by her opponents' replies. */
  judit: Map<string, string>;
  /** Each table's moves in UCI, Judit (white) first; each ends on a reply or on a game-ending move. */
  byTable: string[][];
  juditMoves: number;
}

/** Seeded games that never end by mate before their length (a game may still end by rule). */
export function scriptGames(boards: number, movePairs: number): Games {
  const judit = new Map<string, string>();
  const byTable: string[][] = [];
  let juditMoves = 0;
  for (let table = 1; table <= boards; table++) {
    const chess = new Chess();
    const moves: string[] = [];
    while (moves.length < 2 * movePairs && !chess.isGameOver()) {
      const fen = chess.fen();
      const juditToMove = moves.length % 2 === 0;
      let uci = juditToMove ? judit.get(fen) : undefined;
      uci ??= chooseMove(chess, seededRandom(juditToMove ? 0 : table, fen), true).uci;
      if (juditToMove) {
        judit.set(fen, uci);
        juditMoves++;
      }
      chess.move(parseUci(uci)!);
      moves.push(uci);
    }
    byTable.push(moves);
  }
  return { judit, byTable, juditMoves };
}

/** Judit's thought, known in advance: the brain costs one lookup. */
export class ScriptedBrain implements Brain {
  constructor(private readonly book: Map<string, string>) {}

  think(request: ThinkRequest): Promise<Thought> {
    const move = this.book.get(request.fen);
    if (!move) return Promise.reject(new Error(`no scripted move in ${request.fen}`));
    return Promise.resolve({ move, scoreCp: 0 });
  }

  async close(): Promise<void> {}
}
