/**
 * The browser's live exhibition: the one place that applies the server's broadcasts to the state
 * the pages draw from. What a page shows is only as right as this state.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { STANDARD_FEN, startingBoard } from '../../shared/chess.js';
import { parseConfig } from '../../shared/config.js';
import type { BoardSummary, ExhibitionStats, MoveRecord } from '../../shared/domain.js';
import type { ExhibitionSnapshot, ServerToClientEvents } from '../../shared/protocol.js';

/** The broadcasts the live exhibition listens to, sent by the test instead of a server. */
const handlers = new Map<string, (msg: never) => void>();
vi.mock('../../client/src/net.js', () => ({
  socketLink: {
    listen: (event: string, handler: (msg: never) => void) => {
      handlers.set(event, handler);
      return () => handlers.delete(event);
    },
  },
}));
const { LiveExhibition } = await import('../../client/src/live.js');

function broadcast<E extends keyof ServerToClientEvents>(event: E, msg: Parameters<ServerToClientEvents[E]>[0]): void {
  handlers.get(event)?.(msg as never);
}

const ID = 'x1';
const config = parseConfig({ name: 'Test', boards: 4, juditColor: 'white' });

function board(table: number): BoardSummary {
  return startingBoard(table, `P${table}`, 'white');
}

function snapshot(): ExhibitionSnapshot {
  const stats: ExhibitionStats = {
    now: 0,
    elapsedMs: 0,
    juditBusyMs: 0,
    juditWalkMs: 0,
    engineLateMoves: 0,
    juditUtilisation: 0,
    sequentialMs: 0,
    speedup: 0,
    movesPlayed: 0,
    opponentMoves: 0,
    opponentAvgMs: null,
    results: { wins: 0, draws: 0, losses: 0, unfinished: 2 },
    lesson: null,
    givers: [{ from: 1, to: 4, busyMs: 0, walkMs: 0, utilisation: 0 }],
  };
  return {
    id: ID,
    config,
    status: 'open',
    createdAt: 0,
    startedAt: null,
    finishedAt: null,
    pausedAt: null,
    boards: [board(1), board(2)],
    givers: [{ table: null, activity: 'idle', since: 0 }],
    etas: [],
    stats,
    spectators: 0,
    serverNow: 0,
  };
}

function move(ply: number): MoveRecord {
  return { ply, uci: 'e2e4', san: 'e4', by: ply % 2 === 1 ? 'judit' : 'opponent', readyAt: 0, startedAt: 0, movedAt: 0 };
}

describe('the live exhibition', () => {
  beforeEach(() => handlers.clear());

  it('tells its pages of every change with the state already brought up to date', () => {
    const live = new LiveExhibition(ID, snapshot());
    const seen: number[] = [];
    live.on(() => seen.push(live.snapshot.spectators));
    broadcast('exhibition:spectators', { id: ID, count: 7 });
    broadcast('exhibition:spectators', { id: 'another', count: 9 });
    expect(seen).toEqual([7]);
  });

  it('keeps a followed board’s moves in order, and marks a gap so the whole board is loaded again', () => {
    const live = new LiveExhibition(ID, snapshot());
    live.follow(1, [move(1)]);
    broadcast('board:move', { id: ID, table: 1, move: move(2) });
    broadcast('board:move', { id: ID, table: 1, move: move(2) }); // heard twice (a reply and a broadcast)
    broadcast('board:move', { id: ID, table: 2, move: move(1) }); // a board not followed
    expect(live.movesOf(1).map((m) => m.ply)).toEqual([1, 2]);
    expect(live.movesOf(2)).toEqual([]);
    broadcast('board:move', { id: ID, table: 1, move: move(4) });
    expect(live.gapped.has(1)).toBe(true);
    live.follow(1, [move(1), move(2), move(3), move(4)]);
    expect(live.gapped.has(1)).toBe(false);
  });

  it('counts the draws Judit declined at each table', () => {
    const live = new LiveExhibition(ID, snapshot());
    broadcast('draw:declined', { id: ID, table: 2 });
    broadcast('draw:declined', { id: ID, table: 2 });
    expect(live.drawsDeclined.get(2)).toBe(2);
    expect(live.drawsDeclined.get(1)).toBeUndefined();
  });

  it('knows where each giver is and whose section each table is in', () => {
    const live = new LiveExhibition(ID, snapshot());
    broadcast('exhibition:config', { id: ID, config: { ...config, givers: 2 } });
    expect([1, 2, 3, 4].map((t) => live.giverNameAt(t))).toEqual(['Judit', 'Judit', 'Zsuzsa', 'Zsuzsa']);
    const before = live.snapshot.givers;
    broadcast('judit:update', { id: ID, giver: 1, judit: { table: 3, activity: 'thinking', since: 10 } });
    expect(live.snapshot.givers).not.toBe(before); // a new list: a view sees that a giver moved
    expect(live.giverAt(4)).toEqual({ table: 3, activity: 'thinking', since: 10 });
    expect(live.giverAt(1)).toEqual({ table: null, activity: 'idle', since: 0 });
    expect(live.snapshot.givers[0]).toEqual({ table: null, activity: 'idle', since: 0 }); // Judit's own stays
    broadcast('judit:update', { id: ID, giver: 0, judit: { table: 2, activity: 'walking', since: 11 } });
    expect(live.snapshot.givers[0]).toEqual({ table: 2, activity: 'walking', since: 11 });
  });

  it('replaces a board that changes instead of patching it: a view comparing boards sees the change', () => {
    const live = new LiveExhibition(ID, snapshot());
    const before = live.boards.get(2)!;
    broadcast('exhibition:config', { id: ID, config: { ...config, juditColor: 'alternate' } });
    const recoloured = live.boards.get(2)!;
    expect(recoloured).not.toBe(before);
    expect(recoloured.juditColor).toBe('black');
    expect(before.juditColor).toBe('white');
    broadcast('exhibition:status', { id: ID, status: 'running', at: 5000 });
    expect(live.boards.get(2)).not.toBe(recoloured);
    expect(live.boards.get(2)!.turnSince).toBe(5000);
  });
});
