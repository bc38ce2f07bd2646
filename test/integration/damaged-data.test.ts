import { spawn } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { LobbyPage, SeatGranted } from '../../shared/protocol.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import { UNLIMITED_ENV } from '../unlimited.js';
import { connect, createExhibition, startServer } from './harness.js';

const root = path.resolve(import.meta.dirname, '../..');
const tempDir = () => mkdtempSync(path.join(tmpdir(), 'simul-damaged-'));

/** `npm start`'s server on `dataDir`, run until it exits: its exit code and everything it printed. */
function runUntilExit(dataDir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SIMUL_BRAIN: 'fast', DATA_DIR: dataDir, ...UNLIMITED_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    proc.stdout.on('data', (d) => (output += d));
    proc.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000); // a server that started is not what is expected
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('a damaged data file', () => {
  it('that is empty stops the server with the plain message and stays as it is', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'simul.db');
    writeFileSync(file, '');
    const { code, output } = await runUntilExit(dir);
    expect(code).toBe(1);
    expect(output).toContain('is not a usable Simul data file (it is empty); it was left as it is.');
    expect(output).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(statSync(file).size).toBe(0);
  });
});

describe('a damaged exhibition', () => {
  it('is set aside and listed as damaged, while every other exhibition is served', async () => {
    const file = path.join(tempDir(), 'simul.db');
    const first = await startServer({ store: new SqliteStore(file) });
    const make = async (name: string, play: boolean, end = false) => {
      const x = await createExhibition(first.url, { name, boards: 1, juditColor: 'black', thinkSeconds: 30 });
      const s = await connect(first.url);
      const seat = (await s.emitWithAck('seat:take', { id: x.id, name: 'Ann' })) as SeatGranted & { ok: true };
      if (play) {
        expect((await s.emitWithAck('host:start', { id: x.id, hostKey: x.hostKey })).ok).toBe(true);
        expect((await s.emitWithAck('move:play', { id: x.id, token: seat.token, table: 1, ply: 0, uci: 'e2e4' })).ok).toBe(true);
      }
      if (end) expect((await s.emitWithAck('host:end', { id: x.id, hostKey: x.hostKey })).ok).toBe(true);
      s.disconnect();
      return x.id;
    };
    const healthy = await make('Healthy', true);
    const badJson = await make('Bad JSON', false);
    const illegal = await make('Illegal move', true);
    const endedIllegal = await make('Ended, illegal move', true, true);
    await first.app.close();

    const db = new Database(file);
    db.prepare('UPDATE boards SET state = ? WHERE exhibition_id = ?').run('{"table": 1, "opp', badJson);
    const forged = JSON.stringify({ ply: 1, uci: 'e2e5', san: 'e5', by: 'opponent', readyAt: 0, startedAt: 0, movedAt: 1 });
    db.prepare('UPDATE moves SET record = ? WHERE exhibition_id IN (?, ?)').run(forged, illegal, endedIllegal);
    // as an older version stored a move sent with a needless promotion letter
    db.prepare(`UPDATE moves SET record = json_set(record, '$.uci', 'e2e4q') WHERE exhibition_id = ?`).run(healthy);
    db.close();

    const second = await startServer({ store: new SqliteStore(file) });
    try {
      const lobby = (await (await fetch(`${second.url}/api/exhibitions`)).json()) as LobbyPage;
      const listed = new Map(lobby.exhibitions.map((x) => [x.id, x]));
      expect(listed.get(healthy)?.damaged).toBeFalsy();
      expect(listed.get(badJson)).toMatchObject({ damaged: true, name: 'Bad JSON' });
      expect(listed.get(illegal)).toMatchObject({ damaged: true, name: 'Illegal move' });
      expect(lobby.cursor).toBeNull();

      const c = await connect(second.url);
      for (const id of [badJson, illegal, endedIllegal]) {
        const watched = await c.emitWithAck('exhibition:watch', { id });
        expect(watched.ok).toBe(false);
        expect(!watched.ok && watched.error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/damaged/) });
        const res = await fetch(`${second.url}/api/exhibitions/${id}/pgn`);
        expect(res.status).toBe(404);
        expect(await res.text()).toMatch(/damaged/);
      }
      // the ended one, found damaged when asked for, is listed as such from then on
      const after = (await c.emitWithAck('lobby:watch', {})) as LobbyPage & { ok: true };
      expect(after.exhibitions.find((x) => x.id === endedIllegal)?.damaged).toBe(true);

      // the healthy exhibition is served, its old `e2e4q` read as the move it is
      const watched = await c.emitWithAck('exhibition:watch', { id: healthy });
      expect(watched.ok && watched.snapshot.boards[0].lastMove).toBe('e2e4');
      const opened = await c.emitWithAck('board:open', { id: healthy, table: 1 });
      expect(opened.ok && opened.board.moves.map((m) => m.uci)).toEqual(['e2e4']);
      c.disconnect();
    } finally {
      await second.app.close();
    }
    // the damaged rows are left as they were, for whoever looks after the server
    const db2 = new Database(file, { readonly: true });
    expect(db2.prepare('SELECT state FROM boards WHERE exhibition_id = ?').pluck().get(badJson)).toBe('{"table": 1, "opp');
    db2.close();
  });
});
