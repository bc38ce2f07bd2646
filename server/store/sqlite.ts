import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ChatMessage, ChatSettings } from '../../shared/chat.js';
import type { StoredChat } from '../chat/chat.js';
import type { ExhibitionHeader } from '../exhibition/record.js';
import { assemble, readChat } from './rows.js';
import { type Commit, type Loaded, StaleEpoch, type Store, StoreError } from './store.js';

export { StoreError };

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


export interface SqliteOptions {
  /**
   * FULL (the default) syncs the log at every commit, so an acknowledged move survives a power cut;
   * NORMAL only survives a killed process. Kept for the benchmark that measures the difference.
   */
  synchronous?: 'FULL' | 'NORMAL';
  /** Commits that arrive in the same tick share one transaction and one sync (the default). */
  groupCommit?: boolean;
}

interface Pending {
  id: string;
  commit: Commit;
  epoch: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The embedded store: one SQLite file in WAL mode. better-sqlite3 is synchronous and a sync blocks
 * the event loop, so commits are grouped: those that arrive in the same tick are written in one
 * transaction on the next turn of the loop. If the group fails, each of its commits is tried alone,
 * so only the bad one is refused.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly groupCommit: boolean;
  private pending: Pending[] = [];

  /** Opens (or creates) the file; refuses a damaged file or one from a newer version, untouched. */
  constructor(
    readonly file: string,
    options: SqliteOptions = {},
  ) {
    this.groupCommit = options.groupCommit ?? true;
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    // SQLite would take an empty file for a new database and fill it: a truncated file is refused
    if (file !== ':memory:' && existsSync(file) && statSync(file).size === 0) {
      throw new StoreError(`${file} is not a usable Simul data file (it is empty); it was left as it is.`);
    }
    try {
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
      this.db.pragma('foreign_keys = ON');
      const check = this.db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new StoreError(`integrity check says: ${String(check)}`);
    } catch (error) {
      throw new StoreError(`${file} is not a usable Simul data file (${(error as Error).message}); it was left as it is.`);
    }
    this.migrate();
    // one process at a time opens a file: leases left by the one before have nobody behind them
    this.db.exec('UPDATE leases SET expires_at = 0');
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

  async loadChat(id: string, limit: number): Promise<StoredChat> {
    const { chatMessages, chatSettings } = this.statements;
    const rows = chatMessages.all(id, limit) as { message: string }[];
    const settings = chatSettings.get(id) as { settings: string } | undefined;
    return readChat(rows, settings?.settings);
  }

  async appendChat(id: string, message: ChatMessage): Promise<void> {
    this.statements.appendChat.run(id, message.id, JSON.stringify(message));
  }

  async deleteChat(id: string, messageId: number): Promise<void> {
    this.statements.deleteChat.run(id, messageId);
  }

  async saveChatSettings(id: string, settings: ChatSettings): Promise<void> {
    this.statements.saveChatSettings.run(id, JSON.stringify(settings));
  }

  async createExhibition(id: string, createdAt: number, hostKeyHash: string, header: ExhibitionHeader): Promise<void> {
    this.flush();
    this.statements.createExhibition.run(id, createdAt, hostKeyHash, JSON.stringify(header));
  }

  commit(id: string, commit: Commit, epoch: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.db.open) return reject(new StoreError('The store is closed.'));
      this.pending.push({ id, commit, epoch, resolve, reject });
      if (!this.groupCommit) return this.flush();
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  async loadAll(): Promise<Loaded[]> {
    this.flush();
    const { exhibitions, boards, moves } = this.statements;
    return assemble(exhibitions.all(), boards.all(), moves.all());
  }

  async loadActive(): Promise<Loaded[]> {
    this.flush();
    const { activeExhibitions, activeBoards, activeMoves } = this.statements;
    return assemble(activeExhibitions.all(), activeBoards.all(), activeMoves.all());
  }

  async load(id: string): Promise<Loaded | null> {
    this.flush();
    const { oneExhibition, oneBoards, oneMoves } = this.statements;
    return assemble(oneExhibition.all(id), oneBoards.all(id), oneMoves.all(id))[0] ?? null;
  }

  async recentEnded(limit: number): Promise<Loaded[]> {
    this.flush();
    const { recentEnded, recentEndedBoards } = this.statements;
    return assemble(recentEnded.all(limit), recentEndedBoards.all(limit), []);
  }

  async acquireLease(id: string, owner: string, ttlMs: number): Promise<number | null> {
    this.flush();
    return this.db.transaction(() => {
      const held = this.statements.lease.get(id) as { epoch: number; expired: number } | undefined;
      if (held && !held.expired) return null;
      const epoch = (held?.epoch ?? 0) + 1;
      this.statements.takeLease.run({ id, owner, epoch, ttl: ttlMs });
      return epoch;
    })();
  }

  async renewLease(id: string, owner: string, epoch: number, ttlMs: number): Promise<boolean> {
    this.flush();
    return this.statements.renewLease.run(ttlMs, id, owner, epoch).changes > 0;
  }

  async releaseLease(id: string, owner: string, epoch: number): Promise<void> {
    this.flush();
    this.statements.releaseLease.run(id, owner, epoch);
  }

  async unleasedActive(): Promise<string[]> {
    this.flush();
    return (this.statements.unleasedActive.all() as { id: string }[]).map((row) => row.id);
  }

  async close(): Promise<void> {
    this.flush();
    if (this.db.open) this.db.close();
  }

  /** Writes every pending commit: all in one transaction, or, when that fails, each in its own. */
  private flush(): void {
    const group = this.pending;
    if (group.length === 0) return;
    this.pending = [];
    try {
      this.db.transaction(() => group.forEach((p) => this.write(p.id, p.commit, p.epoch)))();
      for (const p of group) p.resolve();
    } catch (error) {
      if (group.length === 1) return group[0].reject(error);
      for (const p of group) {
        try {
          this.db.transaction(() => this.write(p.id, p.commit, p.epoch))();
          p.resolve();
        } catch (alone) {
          p.reject(alone);
        }
      }
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
