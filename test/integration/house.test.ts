/**
 * The house exhibition: a visitor plays without anyone hosting. It starts as its first player sits,
 * seats a latecomer while it runs, and a fresh one opens when it fills.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { realClock } from '../../server/clock/real.js';
import { FastBrain } from '../../server/judit/fast-brain.js';
import { createLogger } from '../../server/log.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import type { ExhibitionSummary } from '../../shared/domain.js';
import type { SeatGranted } from '../../shared/protocol.js';
import { type Client, until, useServer } from './harness.js';

const server = useServer({ house: { boards: 2, elo: 1500, thinkSeconds: 0.05, moveLimitSeconds: 60 } });

async function house(): Promise<ExhibitionSummary> {
  const res = await fetch(`${server.url()}/api/house`);
  expect(res.status).toBe(200);
  return (await res.json()) as ExhibitionSummary;
}

async function sit(socket: Client, id: string, name: string): Promise<SeatGranted> {
  const reply = await socket.emitWithAck('seat:take', { id, name });
  if (!reply.ok) throw new Error(reply.error.message);
  return reply;
}

/** Plays e2e4 at the player's board and waits for Judit's answer. */
async function openingExchange(socket: Client, id: string, seat: SeatGranted): Promise<void> {
  let ply = 0;
  socket.on('board:update', ({ board }) => {
    if (board.table === seat.table) ply = Math.max(ply, board.ply);
  });
  const moved = await socket.emitWithAck('move:play', { id, token: seat.token, table: seat.table, ply: 0, uci: 'e2e4' });
  expect(moved.ok).toBe(true);
  await until(socket, () => ply >= 2);
}

describe('the house exhibition', () => {
  it('is open with every seat free, and starts when its first player sits', async () => {
    const first = await house();
    expect(first).toMatchObject({ status: 'open', seatsTaken: 0, seatsFree: 2, elo: 1500 });
    const alice = await server.client();
    const seat = await sit(alice, first.id, 'Alice');
    expect(seat.board.juditColor).toBe('black');
    await expect.poll(async () => (await house()).status).toBe('running');
    await openingExchange(alice, first.id, seat);
  });

  it('seats a latecomer while it runs, then opens a fresh one once full', async () => {
    const running = await house();
    expect(running).toMatchObject({ status: 'running', seatsTaken: 1, seatsFree: 1 });
    const bob = await server.client();
    const seat = await sit(bob, running.id, 'Bob');
    expect(seat.table).toBe(2);
    await openingExchange(bob, running.id, seat);
    const fresh = await house();
    expect(fresh.id).not.toBe(running.id);
    expect(fresh).toMatchObject({ status: 'open', seatsFree: 2 });
  });
});

describe('a server without a house', () => {
  const plain = useServer();
  it('answers /api/house with NOT_FOUND', async () => {
    const res = await fetch(`${plain.url()}/api/house`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });
});

describe('the house across a restart', () => {
  it('carries on as the house rather than a second one opening', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'simul-house-'));
    const boot = () =>
      createApp({
        clock: realClock,
        createBrain: async () => new FastBrain({ clock: realClock }),
        store: new SqliteStore(path.join(dir, 'simul.db')),
        log: createLogger('silent'),
        house: { boards: 2, elo: null, thinkSeconds: 0.05, moveLimitSeconds: 60 },
      });
    try {
      const before = await boot();
      const id = before.rooms.house()!.id;
      await before.close();
      const after = await boot();
      expect(after.rooms.house()!.id).toBe(id);
      expect(after.rooms.lobby().exhibitions.filter((x) => x.status === 'open')).toHaveLength(1);
      await after.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
