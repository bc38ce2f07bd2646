import { Worker } from 'node:worker_threads';
import type { ChatMessage, ChatSettings } from '../../shared/chat.js';
import type { StoredChat } from '../chat/chat.js';
import type { ExhibitionHeader } from '../exhibition/record.js';
import { SqliteFile, type Synchronous } from './sqlite-file.js';
import type { Call, Reply, Request, ThreadData } from './sqlite-thread.js';
import { type Commit, type Loaded, StaleEpoch, type Store, StoreError } from './store.js';

export { SCHEMA_VERSION } from './sqlite-file.js';
export { StoreError };

export interface SqliteOptions {
  /**
   * FULL (the default) syncs the log at every commit, so an acknowledged move survives a power cut;
   * NORMAL only survives a killed process. Kept for the benchmark that measures the difference.
   */
  synchronous?: Synchronous;
  /** Commits that arrive together share one transaction and one sync (the default). */
  groupCommit?: boolean;
}

/** A request without its sequence number, as the store sends it. */
type Unsent = Request extends infer R ? (R extends { seq: number } ? Omit<R, 'seq'> : never) : never;

/**
 * The embedded store: one SQLite file in WAL mode, worked in a worker thread (sqlite-thread.ts),
 * because better-sqlite3 is synchronous and a sync would block every socket. Here each call is a
 * message to the thread and its promise settles with the answer: a commit's once its transaction is
 * on disk. Commits that reach the thread together share a transaction; if it fails, each is tried
 * alone, so only the bad one is refused.
 */
export class SqliteStore implements Store {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { request: Request; resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  private sent = 0;
  /** Requests made in this turn of the loop, posted together when it ends. */
  private outbox: Request[] = [];
  /** Why calls are refused: the store was closed or its thread stopped. */
  private stopped: StoreError | null = null;

  /** Opens (or creates) the file; refuses a damaged file or one from a newer version, untouched. */
  constructor(
    readonly file: string,
    options: SqliteOptions = {},
  ) {
    const synchronous = options.synchronous ?? 'FULL';
    // checked and migrated here, so a file that cannot be used stops the start at once
    if (file !== ':memory:') new SqliteFile(file, synchronous, true).close();
    const workerData: ThreadData = { file, synchronous, groupCommit: options.groupCommit ?? true };
    this.worker = new Worker(new URL('./sqlite-thread.mjs', import.meta.url), { workerData, execArgv: [] });
    // the thread keeps the process alive only while an answer is awaited
    this.worker.unref();
    this.worker.on('message', (replies: Reply[]) => replies.forEach((reply) => this.settle(reply)));
    this.worker.on('error', (error) => this.stop(new StoreError(`The store's thread stopped: ${error.message}`)));
    this.worker.on('exit', () => this.stop(new StoreError('The store is closed.')));
  }

  loadChat(id: string, limit: number): Promise<StoredChat> {
    return this.call('loadChat', id, limit);
  }

  appendChat(id: string, message: ChatMessage): Promise<void> {
    return this.call('appendChat', id, message);
  }

  deleteChat(id: string, messageId: number): Promise<void> {
    return this.call('deleteChat', id, messageId);
  }

  saveChatSettings(id: string, settings: ChatSettings): Promise<void> {
    return this.call('saveChatSettings', id, settings);
  }

  createExhibition(id: string, createdAt: number, hostKeyHash: string, header: ExhibitionHeader): Promise<void> {
    return this.call('createExhibition', id, createdAt, hostKeyHash, header);
  }

  commit(id: string, commit: Commit, epoch: number): Promise<void> {
    return this.send({ method: 'commit', id, commit, epoch }) as Promise<void>;
  }

  loadAll(): Promise<Loaded[]> {
    return this.call('loadAll');
  }

  loadActive(): Promise<Loaded[]> {
    return this.call('loadActive');
  }

  listActive(): Promise<Loaded[]> {
    return this.call('listActive');
  }

  load(id: string): Promise<Loaded | null> {
    return this.call('load', id);
  }

  recentEnded(limit: number): Promise<Loaded[]> {
    return this.call('recentEnded', limit);
  }

  acquireLease(id: string, owner: string, ttlMs: number): Promise<number | null> {
    return this.call('acquireLease', id, owner, ttlMs);
  }

  renewLease(id: string, owner: string, epoch: number, ttlMs: number): Promise<boolean> {
    return this.call('renewLease', id, owner, epoch, ttlMs);
  }

  releaseLease(id: string, owner: string, epoch: number): Promise<void> {
    return this.call('releaseLease', id, owner, epoch);
  }

  unleasedActive(): Promise<string[]> {
    return this.call('unleasedActive');
  }

  /** Whether a request is still unanswered: what a virtual clock waits for before it moves on. */
  get busy(): boolean {
    return this.waiting.size > 0;
  }

  /** Writes what is pending, closes the file and ends the thread. */
  async close(): Promise<void> {
    if (this.stopped) return;
    await this.send({ method: 'close' });
    await this.worker.terminate();
  }

  private call<M extends Call>(method: M, ...args: Parameters<SqliteFile[M]>): Promise<ReturnType<SqliteFile[M]>> {
    return this.send({ method, args } as Unsent) as Promise<ReturnType<SqliteFile[M]>>;
  }

  private send(request: Unsent): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.stopped) return reject(this.stopped);
      const seq = ++this.sent;
      const sent = { ...request, seq } as Request;
      this.waiting.set(seq, { request: sent, resolve, reject });
      if (this.waiting.size === 1) this.worker.ref();
      this.outbox.push(sent);
      if (this.outbox.length === 1) queueMicrotask(() => this.post());
    });
  }

  private post(): void {
    const batch = this.outbox;
    this.outbox = [];
    this.worker.postMessage(batch);
  }

  private settle(reply: Reply): void {
    const waiter = this.waiting.get(reply.seq);
    if (!waiter) return;
    this.waiting.delete(reply.seq);
    if (this.waiting.size === 0) this.worker.unref();
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(refusal(waiter.request, reply.message, reply.stale));
  }

  /** Refuses every call from now on, and every one still waiting. */
  private stop(reason: StoreError): void {
    this.stopped ??= reason;
    for (const { reject } of this.waiting.values()) reject(reason);
    this.waiting.clear();
  }
}

/** The error a refused request rejects with: StaleEpoch, as the thread threw it, for a commit at a lost lease. */
function refusal(request: Request, message: string, stale: boolean): Error {
  return stale && request.method === 'commit' ? new StaleEpoch(request.id, request.epoch) : new StoreError(message);
}
