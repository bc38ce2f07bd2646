import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../server/store/sqlite.js';
import { connect, createExhibition, startServer } from './harness.js';

/** The moves another process finds in the data file, as (table, ply, uci), read while the server still runs. */
function movesReadElsewhere(file: string): [number, number, string][] {
  const script = `
    const db = new (require('better-sqlite3'))(process.argv[1], { readonly: true });
    const rows = db.prepare('SELECT table_no, ply, record FROM moves ORDER BY table_no, ply').all();
    console.log(JSON.stringify(rows.map((r) => [r.table_no, r.ply, JSON.parse(r.record).uci])));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script, file], { encoding: 'utf8' })) as [number, number, string][];
}

describe('an acknowledged move', () => {
  it('is in the data file when the player is told, for any process that opens it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'simul-durable-'));
    const file = path.join(dir, 'simul.db');
    const { app, url } = await startServer({ store: new SqliteStore(file) });
    try {
      // Judit has black: the player moves first, and nothing else writes a move meanwhile
      const { id, hostKey } = await createExhibition(url, { name: 'Durable', boards: 1, juditColor: 'black', thinkSeconds: 30 });
      const player = await connect(url);
      const seat = await player.emitWithAck('seat:take', { id, name: 'Ann' });
      if (!seat.ok) throw new Error(seat.error.message);
      expect((await player.emitWithAck('host:start', { id, hostKey })).ok).toBe(true);
      const moved = await player.emitWithAck('move:play', { id, token: seat.token, table: seat.table, ply: 0, uci: 'e2e4' });
      expect(moved.ok).toBe(true);
      expect(movesReadElsewhere(file)).toEqual([[1, 1, 'e2e4']]);
      player.disconnect();
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
