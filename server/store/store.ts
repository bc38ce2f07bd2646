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

/**
 * An exhibition's chat, kept beside its record: a message changes nothing of the games, so it is
 * written on its own, never in a command's transaction.
 */
export interface ChatStore {
  /** The chat's settings (null when never changed) and its last `limit` messages still up, oldest first. */
  loadChat(id: string, limit: number): Promise<StoredChat>;
  appendChat(id: string, message: ChatMessage): Promise<void>;
  /** The host took the message down: it is no longer given back. */
  deleteChat(id: string, messageId: number): Promise<void>;
  saveChatSettings(id: string, settings: ChatSettings): Promise<void>;
}

/**
 * The durable record of every exhibition and every accepted move. Writes are synchronous and
 * committed when they return, so whatever a client is told has happened is on disk first.
 */
export interface Store extends ChatStore {
  createExhibition(id: string, createdAt: number, hostKeyHash: string, header: ExhibitionHeader): void;
  saveHeader(id: string, header: ExhibitionHeader): void;
  /** A board's state; `tokenHash` is set when the seat is taken. */
  saveBoard(id: string, state: BoardState, tokenHash?: string): void;
  removeBoard(id: string, table: number): void;
  appendMove(id: string, table: number, move: MoveRecord): void;
  /** Runs `writes` as one transaction: all of them are kept, or none. */
  transaction(writes: () => void): void;
  loadAll(): Loaded[];
  /** The exhibitions not over yet (open, running, paused): what a restart brings back into memory. */
  loadActive(): Loaded[];
  /** One exhibition in full, or null: a finished one is loaded when someone asks for it. */
  load(id: string): Loaded | null;
  /** The `limit` most recently created finished or aborted exhibitions, their boards without moves: the lobby's results. */
  recentEnded(limit: number): Loaded[];
  close(): void;
}
