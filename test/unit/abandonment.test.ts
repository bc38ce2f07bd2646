import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config.js';
import { VirtualClock } from '../../server/clock/virtual.js';
import { Exhibition } from '../../server/exhibition/exhibition.js';
import { FastBrain } from '../../server/judit/fast-brain.js';
import { defaultLimits } from '../../server/limits.js';
import { createLogger } from '../../server/log.js';
import { boardPgn } from '../../server/pgn.js';
import { Directory } from '../../server/rooms/directory.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import type { StoredExhibition } from '../../server/store/store.js';

const MIN = 60_000;

/** A directory of rooms on a virtual clock, ending exhibitions nobody attends for 30 minutes. */
function roomsOnVirtualTime() {
  // each commit written at once, not grouped with others: virtual time stays exact
  const store = new SqliteStore(':memory:', { groupCommit: false });
  // the store answers from its thread in real time: time moves on only once it has answered everything
  const clock = new VirtualClock(0, async () => {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (!store.busy) return;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  });
  const rooms = new Directory({
    clock,
    createBrain: async () => new FastBrain({ clock, prolong: true }),
    store,
    log: createLogger('silent'),
    limits: { ...defaultLimits(), abandonMinutes: 30 },
  });
  return { clock, store, rooms };
}

/** A running exhibition of two boards, nobody connected: Ann has resigned, Bob's game goes on. */
async function leftBehind(rooms: Directory, clock: VirtualClock) {
  const { room, hostKey } = await rooms.create(parseConfig({ name: 'Left behind', boards: 2, thinkSeconds: 5 }));
  const exh = room.exh;
  const tokens: string[] = [];
  for (const name of ['Ann', 'Bob']) {
    const seat = await room.takeSeat(name, '10.0.0.1');
    if (!seat.ok) throw new Error(seat.error.message);
    tokens.push(seat.token);
  }
  expect((await room.start(hostKey)).ok).toBe(true);
  await clock.run(() => exh.boards.every((b) => b.opponentToMove)); // Judit's first move at both
  expect((await room.resign(tokens[0], 1)).ok).toBe(true);
  return { exh, room, hostKey };
}

describe('an exhibition nobody attends', () => {
  it('is ended as abandoned after ABANDON_MINUTES: finished games keep their results, the others end * abandoned', async () => {
    const { clock, store, rooms } = roomsOnVirtualTime();
    try {
      const { exh } = await leftBehind(rooms, clock);

      await clock.run(() => exh.status !== 'running', 29 * MIN);
      expect(exh.status).toBe('running'); // not before its time

      await clock.run(() => exh.status !== 'running');
      expect(exh.status).toBe('aborted');
      expect(clock.now()).toBeGreaterThanOrEqual(30 * MIN);
      const [ann, bob] = exh.boards;
      expect([ann.end?.result, ann.end?.reason]).toEqual(['1-0', 'resignation']);
      expect([bob.end?.result, bob.end?.reason, bob.end?.winner]).toEqual(['*', 'abandoned', null]);

      // the lobby's results say why it ended, now and after a restart
      const listed = rooms.lobby().exhibitions.find((x) => x.id === exh.id);
      expect(listed).toMatchObject({ status: 'aborted', stoppedAs: 'abandoned', results: { wins: 1, draws: 0, losses: 0, unfinished: 1 } });
      expect(Exhibition.restore((await store.load(exh.id)) as StoredExhibition, clock).stoppedAs).toBe('abandoned');

      const pgn = boardPgn(exh, bob, 'test');
      expect(pgn).toContain('[Result "*"]');
      expect(pgn).toContain('[Termination "abandoned"]');
      expect(pgn.trimEnd().endsWith('*')).toBe(true);
      expect(boardPgn(exh, ann, 'test')).toContain('[Termination "normal"]');
    } finally {
      await rooms.close();
    }
  });

  it('is told apart from one its host ended', async () => {
    const { clock, rooms } = roomsOnVirtualTime();
    try {
      const { exh, room, hostKey } = await leftBehind(rooms, clock);
      expect((await room.end(hostKey)).ok).toBe(true);
      expect(exh.boards[1].end?.reason).toBe('aborted');
      expect(rooms.lobby().exhibitions.find((x) => x.id === exh.id)?.stoppedAs).toBe('aborted');
      expect(boardPgn(exh, exh.boards[1], 'test')).not.toContain('abandoned');
    } finally {
      await rooms.close();
    }
  });
});
