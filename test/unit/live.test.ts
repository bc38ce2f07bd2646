/**
 * The browser's live exhibition: the one place that applies the server's broadcasts to the state
 * the pages draw from. What a page shows is only as right as this state.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { STANDARD_FEN, startingBoard } from '../../shared/chess.js';
import { parseConfig } from '../../shared/config.js';
import type { BoardSummary, ExhibitionStats, MoveRecord } from '../../shared/domain.js';
import { etas } from '../../shared/eta.js';
import type { ExhibitionSnapshot, ServerToClientEvents } from '../../shared/protocol.js';
import { seededRandom } from '../../server/judit/fast-brain.js';
import { opponents, running, S } from './helpers.js';

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

describe('a player’s forecast', () => {
  beforeEach(() => handlers.clear());

  for (const order of ['table', 'urgent'] as const) {
    it(`is worked out from the broadcasts alone, the same as the server’s, in ${order} order with two givers`, async () => {
      const s = running({ thinkSeconds: 5, walkSeconds: 1, patienceSeconds: 3, givers: 2, order }, ['A', 'B', 'C', 'D', 'E', 'F', 'G']);
      const exh = s.exh;
      const live = new LiveExhibition(exh.id, {
        ...snapshot(),
        id: exh.id,
        config: exh.config,
        status: exh.status,
        startedAt: exh.startedAt,
        boards: exh.summaries(),
        givers: structuredClone(exh.givers),
      });
      // what the transport sends of each event, as it would arrive: copies, not the server's objects
      s.port.on((e) => {
        const wire = structuredClone(e);
        if (wire.type === 'move' || wire.type === 'pass' || wire.type === 'gameOver') broadcast('board:update', { id: exh.id, board: wire.board, sentAt: 0 });
        else if (wire.type === 'drawOffer') broadcast('board:update', { id: exh.id, board: exh.board(wire.table)!.summary(), sentAt: 0 });
        else if (wire.type === 'judit') broadcast('judit:update', { id: exh.id, giver: wire.giver, judit: wire.judit });
        else if (wire.type === 'status') broadcast('exhibition:status', { id: exh.id, status: wire.status, at: wire.at });
      });
      const random = seededRandom(5, order);
      opponents(s, () => Math.floor(random() * 20 * S));
      let timed = 0;
      for (let step = 0; step < 600; step++) {
        await s.clock.advance(S / 4);
        const now = s.clock.now();
        const server = etas(exh, now);
        for (const b of exh.boards) {
          const page = live.etaOf(b.table, now);
          expect(page).toEqual(server.find((e) => e.table === b.table) ?? null);
          if (page?.ms) timed++;
        }
      }
      expect(timed).toBeGreaterThan(500);
    });
  }
});
