import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, SqliteStore } from '../../server/store/sqlite.js';
import { storeContract } from '../contract/store.contract.js';

const tempFile = () => path.join(mkdtempSync(path.join(tmpdir(), 'simul-store-')), 'data', 'simul.db');

storeContract('SQLite', () => {
  const file = tempFile();
  return { open: async () => new SqliteStore(file), reopen: async () => new SqliteStore(file) };
});

describe('the SQLite file', () => {
  it('is created on first start, in WAL mode, at the current schema version', async () => {
    const file = tempFile();
    await new SqliteStore(file).close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('from a newer version stops the server with a clear message and is left untouched', async () => {
    const file = tempFile();
    await new SqliteStore(file).close();
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const before = readFileSync(file);
    expect(() => new SqliteStore(file)).toThrow(/newer version/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('that is damaged stops the server with a clear message and is never overwritten', async () => {
    const file = tempFile();
    await new SqliteStore(file).close();
    const garbage = Buffer.alloc(8192, 0x5a);
    writeFileSync(file, garbage);
    expect(() => new SqliteStore(file)).toThrow(/not a usable Simul data file/);
    expect(readFileSync(file).equals(garbage)).toBe(true);
  });

  it('that is empty is refused with a clear message, not filled as a new one', async () => {
    const file = tempFile();
    await new SqliteStore(file).close();
    writeFileSync(file, '');
    expect(() => new SqliteStore(file)).toThrow(/not a usable Simul data file \(it is empty\)/);
    expect(readFileSync(file).length).toBe(0);
  });
});
