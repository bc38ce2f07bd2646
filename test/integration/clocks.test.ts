/** Clocks kept across a restart: a pause that came before it counts against no one's clock. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExhibitionSnapshot } from '../../shared/protocol.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import { connect, createExhibition, startServer } from './harness.js';

const snapshot = async (url: string, id: string) => (await (await fetch(`${url}/api/exhibitions/${id}`)).json()) as ExhibitionSnapshot;

describe('clocks and a restart', () => {
  it('a board’s turn moved past a pause is what the restarted server finds', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'simul-clocks-')), 'simul.db');
    const first = await startServer({ store: new SqliteStore(file) });
    const { id, hostKey } = await createExhibition(first.url, { name: 'Clocked', boards: 1, juditColor: 'black', clock: { initialSeconds: 600 } });
    const c = await connect(first.url);
    expect((await c.emitWithAck('seat:take', { id, name: 'Ann' })).ok).toBe(true);
    expect((await c.emitWithAck('host:start', { id, hostKey })).ok).toBe(true);
    expect((await c.emitWithAck('host:pause', { id, hostKey })).ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await c.emitWithAck('host:resume', { id, hostKey })).ok).toBe(true);
    const before = (await snapshot(first.url, id)).boards[0];
    c.disconnect();
    await first.app.close();

    const second = await startServer({ store: new SqliteStore(file) });
    try {
      const after = await snapshot(second.url, id);
      // the downtime is added on top when it carries on; the pause before it is not lost
      expect(after.boards[0].turnSince).toBeGreaterThanOrEqual(before.turnSince);
      expect(after.boards[0].turnSince - after.startedAt!).toBeGreaterThanOrEqual(300);
      expect(after.boards[0].clocks).toEqual({ judit: 600_000, opponent: 600_000 });
    } finally {
      await second.app.close();
    }
  });
});
