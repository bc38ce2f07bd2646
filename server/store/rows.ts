import type { ChatMessage, ChatSettings } from '../../shared/chat.js';
import type { MoveRecord } from '../../shared/domain.js';
import type { StoredChat } from '../chat/chat.js';
import type { BoardState, ExhibitionHeader } from '../exhibition/record.js';
import { isDamaged, type Loaded, type StoredExhibition } from './store.js';

/** Rows as every store keeps them: JSON text in columns, read back the same way whatever the database. */

/** Stored exhibitions from their rows, every board with its moves; one whose rows are not JSON is damaged. */
export function assemble(exhibitionRows: unknown[], boardRows: unknown[], moveRows: unknown[]): Loaded[] {
  const byId = new Map<string, Loaded>();
  /** A row read as JSON, or the exhibition it belongs to marked damaged. */
  const read = <T>(id: string, what: string, text: string, use: (value: T) => void) => {
    const x = byId.get(id);
    if (!x || isDamaged(x)) return;
    let value: T;
    try {
      value = JSON.parse(text) as T;
    } catch (error) {
      const name = typeof x.header?.config?.name === 'string' ? x.header.config.name : null;
      byId.set(id, { id, createdAt: x.createdAt, name, damage: `${what}: ${(error as Error).message}` });
      return;
    }
    use(value);
  };
  for (const row of exhibitionRows as { id: string; created_at: number; host_key_hash: string; header: string }[]) {
    try {
      const header = JSON.parse(row.header) as ExhibitionHeader;
      byId.set(row.id, { id: row.id, createdAt: row.created_at, hostKeyHash: row.host_key_hash, header, boards: [], seatTokens: new Map() });
    } catch (error) {
      byId.set(row.id, { id: row.id, createdAt: row.created_at, name: null, damage: `its header: ${(error as Error).message}` });
    }
  }
  const boards = new Map<string, { state: BoardState; moves: MoveRecord[] }>();
  for (const row of boardRows as { exhibition_id: string; table_no: number; token_hash: string | null; state: string }[]) {
    read<BoardState>(row.exhibition_id, `board ${row.table_no}`, row.state, (state) => {
      const exh = byId.get(row.exhibition_id) as StoredExhibition;
      const board = { state, moves: [] };
      exh.boards.push(board);
      boards.set(`${row.exhibition_id}:${row.table_no}`, board);
      if (row.token_hash) exh.seatTokens.set(row.table_no, row.token_hash);
    });
  }
  for (const row of moveRows as { exhibition_id: string; table_no: number; record: string }[]) {
    read<MoveRecord>(row.exhibition_id, `a move at board ${row.table_no}`, row.record, (move) => {
      boards.get(`${row.exhibition_id}:${row.table_no}`)?.moves.push(move);
    });
  }
  return [...byId.values()];
}

/** A chat from its rows, newest first as queried; a row that is not JSON is left out: the chat is not worth refusing the exhibition for. */
export function readChat(newestFirst: { message: string }[], settings: string | undefined): StoredChat {
  const messages = [...newestFirst].reverse().flatMap((row) => {
    try {
      return [JSON.parse(row.message) as ChatMessage];
    } catch {
      return [];
    }
  });
  let parsed: ChatSettings | null = null;
  try {
    parsed = settings ? (JSON.parse(settings) as ChatSettings) : null;
  } catch {
    parsed = null;
  }
  return { settings: parsed, messages };
}
