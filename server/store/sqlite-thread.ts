/**
 * The store's worker thread: it holds the one connection to the SQLite file and does every read and
 * write there, so a sync (FULL: one fsync a transaction) never holds up the server's sockets. Commits
 * that arrive while it is busy, or in the same turn of its loop, share one transaction and one sync.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Commit } from './store.js';
import { SqliteFile, type Synchronous, type Written } from './sqlite-file.js';

export interface ThreadData {
  file: string;
  synchronous: Synchronous;
  groupCommit: boolean;
}

/** The SqliteFile methods the server's thread calls as they are. */
export type Call =
  | 'loadChat'
  | 'appendChat'
  | 'deleteChat'
  | 'saveChatSettings'
  | 'createExhibition'
  | 'loadAll'
  | 'loadActive'
  | 'listActive'
  | 'load'
  | 'recentEnded'
  | 'acquireLease'
  | 'renewLease'
  | 'releaseLease'
  | 'unleasedActive';

export type Request = { seq: number } & (
  | { method: 'commit'; id: string; commit: Commit; epoch: number }
  | { method: 'close' }
  | { [M in Call]: { method: M; args: Parameters<SqliteFile[M]> } }[Call]
);

export type Reply = { seq: number } & ({ ok: true; value: unknown } | { ok: false; message: string; stale: boolean });

const port = parentPort!;
const { file, synchronous, groupCommit } = workerData as ThreadData;
const db = new SqliteFile(file, synchronous, false);
let pending: { seq: number; id: string; commit: Commit; epoch: number }[] = [];

const reply = (seq: number, written: Written): Reply => (written.ok ? { seq, ok: true, value: undefined } : { seq, ...written });

/** Writes the commits waiting; they are answered together once their transaction is on disk. */
function flush(): void {
  const group = pending;
  if (group.length === 0) return;
  pending = [];
  const written = db.commitGroup(group);
  port.postMessage(group.map((c, i) => reply(c.seq, written[i])));
}

function answer(request: Exclude<Request, { method: 'commit' }>): Reply {
  try {
    const value = request.method === 'close' ? db.close() : (db[request.method] as (...args: unknown[]) => unknown).apply(db, request.args);
    return { seq: request.seq, ok: true, value };
  } catch (error) {
    return { seq: request.seq, ok: false, message: error instanceof Error ? error.message : String(error), stale: false };
  }
}

// requests come in batches, in the order they were made
port.on('message', (requests: Request[]) => {
  for (const request of requests) {
    if (request.method === 'commit') {
      pending.push(request);
      if (!groupCommit) flush();
      else if (pending.length === 1) setImmediate(flush);
      continue;
    }
    // whatever came before is written first, so a read sees every commit made before it
    flush();
    port.postMessage([answer(request)]);
  }
});
