import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ChatMessage, ChatSettings } from '../../shared/chat.js';
import type { StoredChat } from '../chat/chat.js';
import type { ExhibitionHeader } from '../exhibition/record.js';
import { assemble, readChat } from './rows.js';
import { type Commit, isStaleEpoch, type Loaded, StaleEpoch, StoreError } from './store.js';

/** Schema changes, in order; entry i takes a file from user_version i to i + 1. */
const MIGRATIONS: string[] = [
  `CREATE TABLE exhibitions (
     id TEXT PRIMARY KEY,
     created_at REAL NOT NULL,
     host_key_hash TEXT NOT NULL,
     header TEXT NOT NULL
   );
   CREATE TABLE boards (
     exhibition_id TEXT NOT NULL REFERENCES exhibitions(id),
     table_no INTEGER NOT NULL,
     token_hash TEXT,
     state TEXT NOT NULL,
     PRIMARY KEY (exhibition_id, table_no)
   );
   CREATE TABLE moves (
     exhibition_id TEXT NOT NULL,
     table_no INTEGER NOT NULL,
     ply INTEGER NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (exhibition_id, table_no, ply)
   );`,
  `CREATE TABLE chat_messages (
     exhibition_id TEXT NOT NULL,
     id INTEGER NOT NULL,
     message TEXT NOT NULL,
     deleted INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (exhibition_id, id)
   );
   CREATE TABLE chat_settings (
     exhibition_id TEXT PRIMARY KEY,
     settings TEXT NOT NULL
   );`,
  `CREATE TABLE leases (
     exhibition_id TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     epoch INTEGER NOT NULL,
     expires_at REAL NOT NULL
   );`,
];

/** The database's own clock, in milliseconds since the epoch: a lease's expiry is by it. */
const NOW_MS = `((julianday('now') - 2440587.5) * 86400000.0)`;
export const SCHEMA_VERSION = MIGRATIONS.length;

/** How the file is opened: see SqliteOptions in sqlite.ts. */
export type Synchronous = 'FULL' | 'NORMAL';

/** The outcome of one commit of a group: written, or refused with why (and whether its epoch was stale). */
export type Written = { ok: true } | { ok: false; message: string; stale: boolean };

/**
 * The SQLite file itself, in WAL mode, worked synchronously (better-sqlite3): the store's worker
 * thread holds one, and the server's thread opens one only to check the file at the start.
 */
export class SqliteFile {
  private readonly db: Database.Database;
  private readonly statements;

  /**
   * Opens (or creates) the file; refuses a damaged file or one from a newer version, untouched.
   * `check` runs the integrity check and the migrations, which the worker leaves to the first opening.
   */
  constructor(
    readonly file: string,
    synchronous: Synchronous,
    check: boolean,
  ) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    // SQLite would take an empty file for a new database and fill it: a truncated file is refused
    if (file !== ':memory:' && existsSync(file) && statSync(file).size === 0) {
      throw new StoreError(`${file} is not a usable Simul data file (it is empty); it was left as it is.`);
    }
    try {
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${synchronous}`);
      this.db.pragma('foreign_keys = ON');
      const integrity = check ? this.db.pragma('quick_check', { simple: true }) : 'ok';
      if (integrity !== 'ok') throw new StoreError(`integrity check says: ${String(integrity)}`);
    } catch (error) {
      throw new StoreError(`${file} is not a usable Simul data file (${(error as Error).message}); it was left as it is.`);
    }
    if (check || file === ':memory:') {
      this.migrate();
      // one process at a time opens a file: leases left by the one before have nobody behind them
      this.db.exec('UPDATE leases SET expires_at = 0');
    }
    this.statements = {
      createExhibition: this.db.prepare('INSERT INTO exhibitions (id, created_at, host_key_hash, header) VALUES (?, ?, ?, ?)'),
      saveHeader: this.db.prepare('UPDATE exhibitions SET header = ? WHERE id = ?'),
      saveBoard: this.db.prepare(
        `INSERT INTO boards (exhibition_id, table_no, token_hash, state) VALUES (@id, @table, @token, @state)
         ON CONFLICT (exhibition_id, table_no) DO UPDATE SET state = excluded.state,
           token_hash = COALESCE(excluded.token_hash, boards.token_hash)`,
      ),
      removeBoard: this.db.prepare('DELETE FROM boards WHERE exhibition_id = ? AND table_no = ?'),
      appendMove: this.db.prepare('INSERT INTO moves (exhibition_id, table_no, ply, record) VALUES (?, ?, ?, ?)'),
      exhibitions: this.db.prepare('SELECT id, created_at, host_key_hash, header FROM exhibitions ORDER BY created_at'),
      boards: this.db.prepare('SELECT exhibition_id, table_no, token_hash, state FROM boards ORDER BY exhibition_id, table_no'),
      moves: this.db.prepare('SELECT exhibition_id, table_no, record FROM moves ORDER BY exhibition_id, table_no, ply'),
      ...this.selections(),
      appendChat: this.db.prepare('INSERT INTO chat_messages (exhibition_id, id, message) VALUES (?, ?, ?)'),
      deleteChat: this.db.prepare('UPDATE chat_messages SET deleted = 1 WHERE exhibition_id = ? AND id = ?'),
      chatMessages: this.db.prepare('SELECT message FROM chat_messages WHERE exhibition_id = ? AND deleted = 0 ORDER BY id DESC LIMIT ?'),
      saveChatSettings: this.db.prepare(
        'INSERT INTO chat_settings (exhibition_id, settings) VALUES (?, ?) ON CONFLICT (exhibition_id) DO UPDATE SET settings = excluded.settings',
      ),
      chatSettings: this.db.prepare('SELECT settings FROM chat_settings WHERE exhibition_id = ?'),
      lease: this.db.prepare(`SELECT owner, epoch, expires_at <= ${NOW_MS} AS expired FROM leases WHERE exhibition_id = ?`),
      takeLease: this.db.prepare(
        `INSERT INTO leases (exhibition_id, owner, epoch, expires_at) VALUES (@id, @owner, @epoch, ${NOW_MS} + @ttl)
         ON CONFLICT (exhibition_id) DO UPDATE SET owner = excluded.owner, epoch = excluded.epoch, expires_at = excluded.expires_at`,
      ),
      renewLease: this.db.prepare(`UPDATE leases SET expires_at = ${NOW_MS} + ? WHERE exhibition_id = ? AND owner = ? AND epoch = ?`),
      releaseLease: this.db.prepare('UPDATE leases SET expires_at = 0 WHERE exhibition_id = ? AND owner = ? AND epoch = ?'),
    };
  }

  loadChat(id: string, limit: number): StoredChat {
    const { chatMessages, chatSettings } = this.statements;
    const rows = chatMessages.all(id, limit) as { message: string }[];
    const settings = chatSettings.get(id) as { settings: string } | undefined;
    return readChat(rows, settings?.settings);
  }

  appendChat(id: string, message: ChatMessage): void {
    this.statements.appendChat.run(id, message.id, JSON.stringify(message));
  }

  deleteChat(id: string, messageId: number): void {
    this.statements.deleteChat.run(id, messageId);
  }

  saveChatSettings(id: string, settings: ChatSettings): void {
    this.statements.saveChatSettings.run(id, JSON.stringify(settings));
  }

  createExhibition(id: string, createdAt: number, hostKeyHash: string, header: ExhibitionHeader): void {
    this.statements.createExhibition.run(id, createdAt, hostKeyHash, JSON.stringify(header));
  }

  loadAll(): Loaded[] {
    const { exhibitions, boards, moves } = this.statements;
    return assemble(exhibitions.all(), boards.all(), moves.all());
  }

  loadActive(): Loaded[] {
    const { activeExhibitions, activeBoards, activeMoves } = this.statements;
    return assemble(activeExhibitions.all(), activeBoards.all(), activeMoves.all());
  }

  listActive(): Loaded[] {
    const { activeExhibitions, activeBoards } = this.statements;
    return assemble(activeExhibitions.all(), activeBoards.all(), []);
  }

  load(id: string): Loaded | null {
    const { oneExhibition, oneBoards, oneMoves } = this.statements;
    return assemble(oneExhibition.all(id), oneBoards.all(id), oneMoves.all(id))[0] ?? null;
  }

  recentEnded(limit: number): Loaded[] {
    const { recentEnded, recentEndedBoards } = this.statements;
    return assemble(recentEnded.all(limit), recentEndedBoards.all(limit), []);
  }

  acquireLease(id: string, owner: string, ttlMs: number): number | null {
    return this.db.transaction(() => {
      const held = this.statements.lease.get(id) as { epoch: number; expired: number } | undefined;
      if (held && !held.expired) return null;
      const epoch = (held?.epoch ?? 0) + 1;
      this.statements.takeLease.run({ id, owner, epoch, ttl: ttlMs });
      return epoch;
    })();
  }

  renewLease(id: string, owner: string, epoch: number, ttlMs: number): boolean {
    return this.statements.renewLease.run(ttlMs, id, owner, epoch).changes > 0;
  }

  releaseLease(id: string, owner: string, epoch: number): void {
    this.statements.releaseLease.run(id, owner, epoch);
  }

  unleasedActive(): string[] {
    return (this.statements.unleasedActive.all() as { id: string }[]).map((row) => row.id);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /**
   * Writes a group of commits: all in one transaction (one sync), or, when that fails, each in its
   * own, so only a bad one is refused. Returns when what was written is on disk.
   */
  commitGroup(group: { id: string; commit: Commit; epoch: number }[]): Written[] {
    try {
      this.db.transaction(() => group.forEach((c) => this.write(c.id, c.commit, c.epoch)))();
      return group.map(() => ({ ok: true }));
    } catch (error) {
      if (group.length === 1) return [refused(error)];
      return group.map((c) => {
        try {
          this.db.transaction(() => this.write(c.id, c.commit, c.epoch))();
          return { ok: true };
        } catch (alone) {
          return refused(alone);
        }
      });
    }
  }

  private write(id: string, { header, boards, removedBoards, moves }: Commit, epoch: number): void {
    const s = this.statements;
    const lease = s.lease.get(id) as { epoch: number } | undefined;
    if (lease?.epoch !== epoch) throw new StaleEpoch(id, epoch);
    if (s.saveHeader.run(JSON.stringify(header), id).changes === 0) throw new StoreError(`There is no exhibition ${id} to write to.`);
    for (const table of removedBoards) s.removeBoard.run(id, table);
    for (const { state, tokenHash } of boards) {
      s.saveBoard.run({ id, table: state.table, token: tokenHash ?? null, state: JSON.stringify(state) });
    }
    for (const { table, move } of moves) s.appendMove.run(id, table, move.ply, JSON.stringify(move));
  }

  /** The queries that read part of the file: by status, or one exhibition. */
  private selections() {
    // a header that is not JSON counts as not ended: it is loaded at the start, and set aside as damaged
    const ended = `(json_valid(header) AND json_extract(header, '$.status') IN ('finished', 'aborted'))`;
    const active = `SELECT id FROM exhibitions WHERE NOT ${ended}`;
    const recent = `SELECT id FROM exhibitions WHERE ${ended} ORDER BY created_at DESC LIMIT ?`;
    const exhibitionColumns = 'SELECT id, created_at, host_key_hash, header FROM exhibitions';
    const boardColumns = 'SELECT exhibition_id, table_no, token_hash, state FROM boards';
    const moveColumns = 'SELECT exhibition_id, table_no, record FROM moves';
    return {
      activeExhibitions: this.db.prepare(`${exhibitionColumns} WHERE NOT ${ended} ORDER BY created_at`),
      activeBoards: this.db.prepare(`${boardColumns} WHERE exhibition_id IN (${active}) ORDER BY exhibition_id, table_no`),
      activeMoves: this.db.prepare(`${moveColumns} WHERE exhibition_id IN (${active}) ORDER BY exhibition_id, table_no, ply`),
      oneExhibition: this.db.prepare(`${exhibitionColumns} WHERE id = ?`),
      oneBoards: this.db.prepare(`${boardColumns} WHERE exhibition_id = ? ORDER BY table_no`),
      oneMoves: this.db.prepare(`${moveColumns} WHERE exhibition_id = ? ORDER BY table_no, ply`),
      recentEnded: this.db.prepare(`${exhibitionColumns} WHERE id IN (${recent}) ORDER BY created_at`),
      recentEndedBoards: this.db.prepare(`${boardColumns} WHERE exhibition_id IN (${recent}) ORDER BY exhibition_id, table_no`),
      unleasedActive: this.db.prepare(
        `SELECT id FROM exhibitions LEFT JOIN leases ON leases.exhibition_id = exhibitions.id
         WHERE NOT ${ended} AND (leases.exhibition_id IS NULL OR leases.expires_at <= ${NOW_MS}) ORDER BY created_at`,
      ),
    };
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      this.db.close();
      throw new StoreError(
        `${this.file} was written by a newer version of Simul (schema ${version}, this one knows ${SCHEMA_VERSION}); it was left as it is.`,
      );
    }
    for (let v = version; v < SCHEMA_VERSION; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }
}

const refused = (error: unknown): Written => ({
  ok: false,
  message: error instanceof Error ? error.message : String(error),
  stale: isStaleEpoch(error),
});
