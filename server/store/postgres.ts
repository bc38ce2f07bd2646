import pg from 'pg';
import type { ChatMessage, ChatSettings } from '../../shared/chat.js';
import type { StoredChat } from '../chat/chat.js';
import type { ExhibitionHeader } from '../exhibition/record.js';
import { assemble, readChat } from './rows.js';
import { type Commit, type Loaded, StaleEpoch, type Store, StoreError } from './store.js';

/**
 * Schema changes, in order; entry i takes a database from version i to i + 1. Records are JSON text,
 * as in the embedded file, so a damaged row is set aside the same way; `status` is kept beside the
 * header so the exhibitions not over are found without reading every header.
 */
const MIGRATIONS: string[] = [
  `CREATE TABLE exhibitions (
     seq BIGSERIAL NOT NULL,
     id TEXT PRIMARY KEY,
     created_at DOUBLE PRECISION NOT NULL,
     host_key_hash TEXT NOT NULL,
     status TEXT NOT NULL,
     header TEXT NOT NULL
   );
   CREATE INDEX exhibitions_by_status ON exhibitions (status, created_at, seq);
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
   );
   CREATE TABLE chat_messages (
     exhibition_id TEXT NOT NULL,
     id INTEGER NOT NULL,
     message TEXT NOT NULL,
     deleted BOOLEAN NOT NULL DEFAULT FALSE,
     PRIMARY KEY (exhibition_id, id)
   );
   CREATE TABLE chat_settings (
     exhibition_id TEXT PRIMARY KEY,
     settings TEXT NOT NULL
   );
   CREATE TABLE leases (
     exhibition_id TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     epoch BIGINT NOT NULL,
     expires_at TIMESTAMPTZ NOT NULL
   );`,
];
export const PG_SCHEMA_VERSION = MIGRATIONS.length;

/** How long a transaction may sit idle, or a statement wait on a lock, before PostgreSQL gives up on it. */
const STUCK_MS = 2_000;
/** Any key will do, so long as every Simul process migrating the same database takes the same one. */
const MIGRATION_LOCK = 0x53494d55;
const ENDED = `status IN ('finished', 'aborted')`;
const EXHIBITION_COLUMNS = 'SELECT id, created_at, host_key_hash, header FROM exhibitions';
const BOARD_COLUMNS = 'SELECT exhibition_id, table_no, token_hash, state FROM boards';
const MOVE_COLUMNS = 'SELECT exhibition_id, table_no, record FROM moves';
const ACTIVE = `SELECT id FROM exhibitions WHERE NOT ${ENDED}`;
const RECENT = `SELECT id FROM exhibitions WHERE ${ENDED} ORDER BY created_at DESC, seq DESC LIMIT $1`;

export interface PostgresOptions {
  /** A schema of its own (created when missing): tests running side by side each keep theirs. */
  schema?: string;
}

/**
 * The shared store: PostgreSQL, which several server processes use at once. Each commit is one
 * transaction that first locks its exhibition's lease row, so a commit and a takeover never cross:
 * the new holder reads everything the old one wrote, and the old one writes nothing after.
 */
export class PostgresStore implements Store {
  private constructor(private readonly pool: pg.Pool) {}

  /** Connects and brings the schema up to date; refuses a database from a newer version, untouched. */
  static async open(url: string, options: PostgresOptions = {}): Promise<PostgresStore> {
    const schema = options.schema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new StoreError(`"${schema}" is not a usable schema name.`);
    // a process frozen inside a transaction (stopped, swapped out) would keep its lease row locked and
    // block the takeover for ever: PostgreSQL ends such a session, and a takeover waits on a lock no longer
    const settings = [`-c idle_in_transaction_session_timeout=${STUCK_MS}`, `-c lock_timeout=${STUCK_MS}`, ...(schema ? [`-c search_path=${schema}`] : [])];
    const pool = new pg.Pool({ connectionString: url, max: 10, options: settings.join(' ') });
    // a connection that fails (idle, or ended by the server inside a transaction) is dropped and its
    // query refused; without these listeners the error would end the process
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    try {
      await migrate(pool, schema);
    } catch (error) {
      await pool.end();
      throw error instanceof StoreError ? error : new StoreError(`PostgreSQL could not be used (${(error as Error).message}).`);
    }
    return new PostgresStore(pool);
  }

  async loadChat(id: string, limit: number): Promise<StoredChat> {
    const messages = await this.pool.query<{ message: string }>(
      'SELECT message FROM chat_messages WHERE exhibition_id = $1 AND NOT deleted ORDER BY id DESC LIMIT $2',
      [id, limit],
    );
    const settings = await this.pool.query<{ settings: string }>('SELECT settings FROM chat_settings WHERE exhibition_id = $1', [id]);
    return readChat(messages.rows, settings.rows[0]?.settings);
  }

  async appendChat(id: string, message: ChatMessage): Promise<void> {
    await this.pool.query('INSERT INTO chat_messages (exhibition_id, id, message) VALUES ($1, $2, $3)', [id, message.id, JSON.stringify(message)]);
  }

  async deleteChat(id: string, messageId: number): Promise<void> {
    await this.pool.query('UPDATE chat_messages SET deleted = TRUE WHERE exhibition_id = $1 AND id = $2', [id, messageId]);
  }

  async saveChatSettings(id: string, settings: ChatSettings): Promise<void> {
    await this.pool.query(
      'INSERT INTO chat_settings (exhibition_id, settings) VALUES ($1, $2) ON CONFLICT (exhibition_id) DO UPDATE SET settings = excluded.settings',
      [id, JSON.stringify(settings)],
    );
  }

  async createExhibition(id: string, createdAt: number, hostKeyHash: string, header: ExhibitionHeader): Promise<void> {
    await this.pool.query('INSERT INTO exhibitions (id, created_at, host_key_hash, status, header) VALUES ($1, $2, $3, $4, $5)', [
      id,
      createdAt,
      hostKeyHash,
      header.status,
      JSON.stringify(header),
    ]);
  }

  async commit(id: string, { header, boards, removedBoards, moves }: Commit, epoch: number): Promise<void> {
    await this.transaction(async (db) => {
      // shared: commits of one holder do not wait on each other, a takeover waits for them all
      const lease = await db.query<{ epoch: string }>('SELECT epoch FROM leases WHERE exhibition_id = $1 FOR SHARE', [id]);
      if (lease.rows[0]?.epoch !== String(epoch)) throw new StaleEpoch(id, epoch);
      const saved = await db.query('UPDATE exhibitions SET header = $1, status = $2 WHERE id = $3', [JSON.stringify(header), header.status, id]);
      if (saved.rowCount === 0) throw new StoreError(`There is no exhibition ${id} to write to.`);
      for (const table of removedBoards) await db.query('DELETE FROM boards WHERE exhibition_id = $1 AND table_no = $2', [id, table]);
      for (const { state, tokenHash } of boards) {
        await db.query(
          `INSERT INTO boards (exhibition_id, table_no, token_hash, state) VALUES ($1, $2, $3, $4)
           ON CONFLICT (exhibition_id, table_no) DO UPDATE SET state = excluded.state,
             token_hash = COALESCE(excluded.token_hash, boards.token_hash)`,
          [id, state.table, tokenHash ?? null, JSON.stringify(state)],
        );
      }
      for (const { table, move } of moves) {
        await db.query('INSERT INTO moves (exhibition_id, table_no, ply, record) VALUES ($1, $2, $3, $4)', [id, table, move.ply, JSON.stringify(move)]);
      }
    });
  }

  async loadAll(): Promise<Loaded[]> {
    return this.read(
      `${EXHIBITION_COLUMNS} ORDER BY created_at, seq`,
      `${BOARD_COLUMNS} ORDER BY exhibition_id, table_no`,
      `${MOVE_COLUMNS} ORDER BY exhibition_id, table_no, ply`,
      [],
    );
  }

  async loadActive(): Promise<Loaded[]> {
    return this.read(
      `${EXHIBITION_COLUMNS} WHERE NOT ${ENDED} ORDER BY created_at, seq`,
      `${BOARD_COLUMNS} WHERE exhibition_id IN (${ACTIVE}) ORDER BY exhibition_id, table_no`,
      `${MOVE_COLUMNS} WHERE exhibition_id IN (${ACTIVE}) ORDER BY exhibition_id, table_no, ply`,
      [],
    );
  }

  async listActive(): Promise<Loaded[]> {
    return this.read(
      `${EXHIBITION_COLUMNS} WHERE NOT ${ENDED} ORDER BY created_at, seq`,
      `${BOARD_COLUMNS} WHERE exhibition_id IN (${ACTIVE}) ORDER BY exhibition_id, table_no`,
      null,
      [],
    );
  }

  async load(id: string): Promise<Loaded | null> {
    const loaded = await this.read(
      `${EXHIBITION_COLUMNS} WHERE id = $1`,
      `${BOARD_COLUMNS} WHERE exhibition_id = $1 ORDER BY table_no`,
      `${MOVE_COLUMNS} WHERE exhibition_id = $1 ORDER BY table_no, ply`,
      [id],
    );
    return loaded[0] ?? null;
  }

  async recentEnded(limit: number): Promise<Loaded[]> {
    return this.read(
      `${EXHIBITION_COLUMNS} WHERE id IN (${RECENT}) ORDER BY created_at, seq`,
      `${BOARD_COLUMNS} WHERE exhibition_id IN (${RECENT}) ORDER BY exhibition_id, table_no`,
      null,
      [limit],
    );
  }

  async acquireLease(id: string, owner: string, ttlMs: number): Promise<number | null> {
    const taken = await this.pool.query<{ epoch: string }>(
      `INSERT INTO leases (exhibition_id, owner, epoch, expires_at) VALUES ($1, $2, 1, clock_timestamp() + $3 * interval '1 millisecond')
       ON CONFLICT (exhibition_id) DO UPDATE SET owner = excluded.owner, epoch = leases.epoch + 1, expires_at = excluded.expires_at
       WHERE leases.expires_at <= clock_timestamp()
       RETURNING epoch`,
      [id, owner, ttlMs],
    );
    return taken.rows[0] ? Number(taken.rows[0].epoch) : null;
  }

  async renewLease(id: string, owner: string, epoch: number, ttlMs: number): Promise<boolean> {
    const renewed = await this.pool.query(
      `UPDATE leases SET expires_at = clock_timestamp() + $4 * interval '1 millisecond' WHERE exhibition_id = $1 AND owner = $2 AND epoch = $3`,
      [id, owner, epoch, ttlMs],
    );
    return (renewed.rowCount ?? 0) > 0;
  }

  async releaseLease(id: string, owner: string, epoch: number): Promise<void> {
    await this.pool.query(`UPDATE leases SET expires_at = '-infinity' WHERE exhibition_id = $1 AND owner = $2 AND epoch = $3`, [id, owner, epoch]);
  }

  async unleasedActive(): Promise<string[]> {
    const rows = await this.pool.query<{ id: string }>(
      `SELECT id FROM exhibitions LEFT JOIN leases ON leases.exhibition_id = exhibitions.id
       WHERE NOT ${ENDED} AND (leases.exhibition_id IS NULL OR leases.expires_at <= clock_timestamp()) ORDER BY created_at, seq`,
    );
    return rows.rows.map((row) => row.id);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** Exhibitions, boards and moves read in one snapshot, so a commit never lands between them. */
  private async read(exhibitions: string, boards: string, moves: string | null, params: unknown[]): Promise<Loaded[]> {
    return this.transaction(
      async (db) => {
        const e = await db.query(exhibitions, params);
        const b = await db.query(boards, params);
        const m = moves ? await db.query(moves, params) : { rows: [] };
        return assemble(e.rows, b.rows, m.rows);
      },
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
  }

  private async transaction<T>(work: (db: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const db = await this.pool.connect();
    try {
      await db.query(begin);
      const result = await work(db);
      await db.query('COMMIT');
      return result;
    } catch (error) {
      await db.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      db.release();
    }
  }
}

/** Runs the migrations not yet run, under a lock: processes starting together migrate once. */
async function migrate(pool: pg.Pool, schema: string | undefined): Promise<void> {
  const db = await pool.connect();
  try {
    await db.query('BEGIN');
    await db.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    if (schema) await db.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await db.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const row = await db.query<{ version: number }>('SELECT version FROM schema_version');
    const version = row.rows[0]?.version ?? 0;
    if (version > PG_SCHEMA_VERSION) {
      throw new StoreError(`The database was written by a newer version of Simul (schema ${version}, this one knows ${PG_SCHEMA_VERSION}); it was left as it is.`);
    }
    for (let v = version; v < PG_SCHEMA_VERSION; v++) await db.query(MIGRATIONS[v]);
    if (row.rows.length === 0) await db.query('INSERT INTO schema_version (version) VALUES ($1)', [PG_SCHEMA_VERSION]);
    else await db.query('UPDATE schema_version SET version = $1', [PG_SCHEMA_VERSION]);
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    db.release();
  }
}
