import type { ChatMessage, ChatSettings } from '../../shared/chat.js';
import type { MoveRecord } from '../../shared/domain.js';
import type { StoredChat } from '../chat/chat.js';
import type { BoardState, ExhibitionHeader, ExhibitionRecord } from '../exhibition/record.js';

/** An exhibition as stored, with the hashes of its secrets (never the secrets). */
export interface StoredExhibition extends ExhibitionRecord {
  hostKeyHash: string;
  /** Seat token hashes by table. */
  seatTokens: Map<number, string>;
}

/**
 * An exhibition whose rows cannot be read back (bad JSON) or replayed (an illegal stored move): it
 * stays on disk as it is, set aside, while the others are served.
 */
export interface DamagedExhibition {
  id: string;
  createdAt: number;
  /** Its name, when the header could be read. */
  name: string | null;
  damage: string;
}

/** What a store gives back for one exhibition: its record, or word that it is damaged. */
export type Loaded = StoredExhibition | DamagedExhibition;

export const isDamaged = (x: Loaded): x is DamagedExhibition => 'damage' in x;

/** Everything one command changed, written as one transaction: all of it, or none. */
export interface Commit {
  /** The header after the command. */
  header: ExhibitionHeader;
  /** Boards whose state changed; `tokenHash` when the seat was just taken. */
  boards: { state: BoardState; tokenHash?: string }[];
  /** Seats freed before the start. */
  removedBoards: number[];
  /** Accepted moves, in order. */
  moves: { table: number; move: MoveRecord }[];
}

/**
 * An exhibition's chat, kept beside its record: a message changes nothing of the games, so it is
 * written on its own, never in a command's commit.
 */
export interface ChatStore {
  /** The chat's settings (null when never changed) and its last `limit` messages still up, oldest first. */
  loadChat(id: string, limit: number): Promise<StoredChat>;
  appendChat(id: string, message: ChatMessage): Promise<void>;
  /** The host took the message down: it is no longer given back. */
  deleteChat(id: string, messageId: number): Promise<void>;
  saveChatSettings(id: string, settings: ChatSettings): Promise<void>;
}

/** A store that cannot be used, or a write it refused; its message says why, for people. */
export class StoreError extends Error {}

/**
 * A commit refused because its writer's epoch is no longer the exhibition's: another process took
 * the lease meanwhile, and the writer must stop serving the exhibition. Its code is stable.
 */
export class StaleEpoch extends Error {
  readonly code = 'STALE_EPOCH';
  constructor(id: string, epoch: number) {
    super(`Exhibition ${id} is owned by a newer epoch than ${epoch}; the write was refused.`);
  }
}

export const isStaleEpoch = (error: unknown): error is StaleEpoch => (error as { code?: unknown } | null)?.code === 'STALE_EPOCH';

/**
 * Who may write an exhibition: one process at a time holds its lease, until the lease's expiry by
 * the database's own clock. Each new holder gets the next epoch, and every commit carries its
 * writer's epoch, so a holder that lost the lease (paused, cut off) can change nothing.
 */
export interface LeaseStore {
  /** The lease for `owner` when it is free or expired: the new epoch (the last one + 1), or null while another holds it. */
  acquireLease(id: string, owner: string, ttlMs: number): Promise<number | null>;
  /** Extends the lease `owner` holds at `epoch` by `ttlMs` from now; false when it is no longer theirs. */
  renewLease(id: string, owner: string, epoch: number, ttlMs: number): Promise<boolean>;
  /** Gives the lease up at once (it stays at its epoch), when it is still `owner`'s at `epoch`. */
  releaseLease(id: string, owner: string, epoch: number): Promise<void>;
  /** Exhibitions not over yet whose lease is free or expired: those a process may take over. */
  unleasedActive(): Promise<string[]>;
}

/**
 * The durable record of every exhibition and every accepted move. A write is durable when its
 * promise resolves, so whatever a client is told has happened is on disk first. Every method is
 * async: an embedded file and a networked database sit behind the same contract.
 */
export interface Store extends ChatStore, LeaseStore {
  createExhibition(id: string, createdAt: number, hostKeyHash: string, header: ExhibitionHeader): Promise<void>;
  /**
   * One command's changes, whole, by the lease holder at `epoch`; rejects when nothing was written
   * (and then nothing was), with StaleEpoch when `epoch` is no longer the exhibition's.
   */
  commit(id: string, commit: Commit, epoch: number): Promise<void>;
  loadAll(): Promise<Loaded[]>;
  /** The exhibitions not over yet (open, running, paused): what a restart brings back into memory. */
  loadActive(): Promise<Loaded[]>;
  /** The exhibitions not over yet, their boards without moves: the lobby's list of those other processes hold. */
  listActive(): Promise<Loaded[]>;
  /** One exhibition in full, or null: a finished one is loaded when someone asks for it. */
  load(id: string): Promise<Loaded | null>;
  /** The `limit` most recently created finished or aborted exhibitions, their boards without moves: the lobby's results. */
  recentEnded(limit: number): Promise<Loaded[]>;
  close(): Promise<void>;
}
