import { describe, expect, it } from 'vitest';
import type { Clock } from '../../server/clock/clock.js';
import type { Brain, ThinkRequest, Thought } from '../../server/judit/brain.js';
import { Board } from '../../server/exhibition/board.js';
import { running, S, StubBrain } from './helpers.js';

/** A brain that throws for every position after `poison` was played, and plays quietly elsewhere. */
class PoisonedBrain implements Brain {
  readonly failures: string[] = [];
  resets = 0;
  private readonly stub: StubBrain;
  constructor(
    clock: Clock,
    private readonly poison: string,
    private readonly canRestart = true,
  ) {
    this.stub = new StubBrain(clock);
  }
  async think(request: ThinkRequest): Promise<Thought> {
    if (request.moves.includes(this.poison)) {
      this.failures.push(request.fen);
      throw new Error(`Illegal move: ${this.poison}`);
    }
    return this.stub.think(request);
  }
  async reset(): Promise<void> {
    this.resets++;
    if (!this.canRestart) throw new Error('Stockfish could not start');
  }
  async close(): Promise<void> {}
}

describe('an engine that fails on one position', () => {
  it('is asked again from a fresh start, then that game ends unfinished and the others carry on', async () => {
    let brain: PoisonedBrain | null = null;
    const s = running({ thinkSeconds: 1, juditColor: 'black' }, ['Ann', 'Bob'], (clock) => (brain = new PoisonedBrain(clock, 'e2e4')));
    expect(s.port.run((x) => x.move(1, 0, 'e2e4')).ok).toBe(true);
    expect(s.port.run((x) => x.move(2, 0, 'd2d4')).ok).toBe(true);
    await s.clock.advance(10 * S);
    expect(brain!.failures).toHaveLength(2);
    expect(brain!.resets).toBe(1);
    expect(s.exh.board(1)!.end).toMatchObject({ result: '*', reason: 'engineFailure', winner: null });
    expect(s.exh.board(2)!.ply).toBe(2); // Judit answered at table 2
    expect(s.exh.board(2)!.over).toBe(false);
    expect(s.exh.status).toBe('running');
    expect(s.errors).toEqual([]);
  });

  it('is not the game’s fault when no engine can start afresh: the game goes on, and Judit’s loop says why it stopped', async () => {
    const s = running({ thinkSeconds: 1, juditColor: 'black' }, ['Ann'], (clock) => new PoisonedBrain(clock, 'e2e4', false));
    expect(s.port.run((x) => x.move(1, 0, 'e2e4')).ok).toBe(true);
    await s.clock.advance(10 * S);
    expect(s.exh.board(1)!.over).toBe(false);
    expect(s.errors).toEqual([new Error('Stockfish could not start')]);
  });
});

describe('canonical moves', () => {
  it('a promotion letter on a move that promotes nothing is no move', () => {
    const board = new Board(1, 'Ann', 'black');
    expect(board.play('e2e4q', 0, 1)).toBeNull();
    expect(board.ply).toBe(0);
    expect(board.chess.fen()).toBe(new Board(1, 'Ann', 'black').chess.fen());
    expect(board.play('e2e4', 0, 1)?.uci).toBe('e2e4');
  });

  it('a stored move with a needless promotion letter is read as the move it is', () => {
    const board = new Board(1, 'Ann', 'black');
    const played = board.play('e2e4', 0, 1)!;
    const restored = Board.restore(board.state(), [{ ...played, uci: 'e2e4q' }]);
    expect(restored.moves[0].uci).toBe('e2e4');
    expect(restored.summary().lastMove).toBe('e2e4');
  });
});
