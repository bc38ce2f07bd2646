import { type ExhibitionConfig, type ExhibitionConfigPatch, exhibitionConfigSchema } from '../../shared/config.js';
import type { Color, ExhibitionSummary, MoveRecord } from '../../shared/domain.js';
import { fail, type Result } from '../../shared/errors.js';
import type { ExhibitionEvent } from '../../shared/events.js';
import type { BoardDetail, ExhibitionSnapshot, SeatGranted, SeatInfo, Timeline } from '../../shared/protocol.js';
import { Exhibition } from '../exhibition/exhibition.js';
import type { ExhibitionHeader } from '../exhibition/record.js';
import { summaryOf } from '../exhibition/summary.js';
import { hashSecret, newSecret, secretMatches } from '../secrets.js';
import { type Commit, isDamaged, isStaleEpoch, type Store } from '../store/store.js';
import { Employment, type EmploymentDeps } from './employment.js';
import { Presence } from './presence.js';
import { CommandQueue } from './queue.js';

export interface RoomDeps extends EmploymentDeps {
  store: Store;
  /** Whether one more exhibition may take an engine: refused while the server runs its most. */
  mayRun: () => Result<{}>;
  /** Told when the room stopped because another process holds its exhibition now. */
  lost?: (room: Room) => void;
}

/** Told the events of each command once they are on disk, in the order the commands ran. */
export type RoomListener = (room: Room, events: ExhibitionEvent[]) => void;

/** Figures that change with every move or every arrival go out at most this often. */
export const COALESCE_MS = 500;

const INTERNAL = 'Something went wrong on the server; nothing was changed.';
const GONE = 'This exhibition is no longer served here.';

/** A board's state as last committed, and the board's revision then. */
interface SavedBoard {
  revision: number;
  text: string;
}

/** What a command changed, ready to store, and the records it leaves as saved. */
interface Changes {
  commit: Commit;
  /** The boards looked at again: changed, or changed and back as they were. */
  boards: [number, SavedBoard][];
  header: string;
}

/**
 * One exhibition on the server: the core, its secrets, Judit's loop and brain, who is present, and
 * the timers of its broadcasts. Every command on it, a player's, the host's, Judit's own or the
 * server's, runs through one queue in arrival order: capability check → core → one store commit
 * for everything the command changed → announcement → answer. A commit that fails leaves the
 * exhibition as the store has it, announces nothing, and answers INTERNAL.
 */
export class Room {
  readonly presence: Presence;
  private current: Exhibition;
  private seatTokens: Map<number, string>;
  /** The network address that took each seat, for the per-address seat cap. */
  private readonly seatAddresses = new Map<number, string>();
  private readonly queue = new CommandQueue();
  private readonly listeners = new Set<RoomListener>();
  private readonly disposal = new AbortController();
  private readonly coalescing = new Set<string>();
  private readonly judit: Employment;
  /** Each board's state and the header as last committed. */
  private savedBoards = new Map<number, SavedBoard>();
  private savedHeader = '';
  /** Memory could not be made to match the store again: the room takes no more commands. */
  private broken = false;
  /** A running exhibition read back after a failed commit is being resumed. */
  private carryingOn = false;

  /**
   * `epoch`: the lease this process holds on the exhibition, which every commit carries; null for
   * a record only read (an ended exhibition), which refuses any change.
   */
  constructor(
    exh: Exhibition,
    readonly hostKeyHash: string,
    seatTokens: Map<number, string>,
    private readonly deps: RoomDeps,
    readonly epoch: number | null = null,
  ) {
    this.current = exh;
    this.seatTokens = new Map(seatTokens);
    this.presence = new Presence(() => deps.clock.now());
    this.judit = new Employment(
      { id: exh.id, exhibition: () => this.current, execute: (apply) => this.execute(apply), disposal: this.disposal.signal },
      deps,
    );
    this.noteSaved();
  }

  get id(): string {
    return this.current.id;
  }

  /** The exhibition, to read: every change goes through the room's commands. */
  get exh(): Exhibition {
    return this.current;
  }

  subscribe(listener: RoomListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ── reading ────────────────────────────────────────────────────────────

  summary(): ExhibitionSummary {
    return summaryOf(this.current);
  }

  snapshot(): ExhibitionSnapshot {
    const exh = this.current;
    const now = this.deps.clock.now();
    return {
      id: exh.id,
      config: exh.config,
      status: exh.status,
      createdAt: exh.createdAt,
      startedAt: exh.startedAt,
      finishedAt: exh.finishedAt,
      pausedAt: exh.pausedAt,
      boards: exh.summaries(),
      givers: exh.givers,
      stats: exh.stats(now),
      spectators: this.presence.spectators,
      serverNow: now,
    };
  }

  seats(): SeatInfo[] {
    return this.current.boards.map((b) => ({ table: b.table, opponent: b.opponent, connected: this.presence.connectedAt(b.table) > 0 }));
  }

  timeline(): Timeline {
    const exh = this.current;
    return {
      id: exh.id,
      startedAt: exh.startedAt,
      serverNow: this.deps.clock.now(),
      lanes: exh.boards.map((b) => ({ table: b.table, opponent: b.opponent, moves: b.moves })),
    };
  }

  /** A board with its whole game, or null when there is none at `table`. */
  detail(table: number): BoardDetail | null {
    const board = this.current.board(table);
    return board ? { ...board.summary(), startFen: board.startFen, moves: board.moves } : null;
  }

  /** Holding an engine or about to: starting, running or paused. */
  get holdsEngine(): boolean {
    const { status } = this.current;
    return this.judit.holdsBrain || status === 'running' || status === 'paused';
  }

  // ── capabilities ───────────────────────────────────────────────────────

  isHost(hostKey: string): boolean {
    return secretMatches(hostKey, this.hostKeyHash);
  }

  /** The seat `token` opens again, as it was granted. */
  claimSeat(token: string): Result<SeatGranted> {
    const seat = this.seatOf(token);
    return seat.ok ? this.granted(seat.table, token) : seat;
  }

  /** The player's name on the seat `token` opens: who writes in the chat. */
  seatName(token: string): Result<{ name: string }> {
    const seat = this.seatOf(token);
    return seat.ok ? { ok: true, name: this.current.board(seat.table)!.opponent } : seat;
  }

  // ── commands ───────────────────────────────────────────────────────────

  /**
   * A seat for `name`, taken from network `address` (at most the exhibition's seatsPerAddress);
   * `pick`: the colour they chose; `approved` when the host accepted them, where the host must.
   */
  async takeSeat(name: string, address: string, pick: Color | null = null, approved = false): Promise<Result<SeatGranted>> {
    const token = newSecret();
    const taken = await this.execute(
      (exh) => {
        if (exh.config.approval && !approved) return fail('FORBIDDEN', 'The host accepts each player here: ask to join.');
        const cap = exh.config.seatsPerAddress;
        let held = 0;
        for (const a of this.seatAddresses.values()) if (a === address) held++;
        if (held >= cap) return fail('EXHIBITION_FULL', `This exhibition takes at most ${cap} seats from one network address.`);
        return exh.takeSeat(name, pick);
      },
      { tokenHash: hashSecret(token), address },
    );
    if (!taken.ok) return taken;
    this.deps.log.info({ exhibition: this.id, table: taken.table }, 'seat taken');
    return this.granted(taken.table, token);
  }

  /** A player's move on their own board (the token must open `table`). */
  move(token: string, table: number, ply: number, uci: string): Promise<Result<{ move: MoveRecord; duplicate: boolean }>> {
    return this.asSeat(token, table, (exh) => exh.move(table, ply, uci));
  }

  resign(token: string, table: number): Promise<Result<{}>> {
    return this.asSeat(token, table, (exh) => exh.resign(table));
  }

  offerDraw(token: string, table: number): Promise<Result<{}>> {
    return this.asSeat(token, table, (exh) => exh.offerDraw(table));
  }

  /** The host starts the exhibition, once Judit's engine is ready. */
  start(hostKey: string): Promise<Result<{}>> {
    return this.isHost(hostKey) ? this.begin() : Promise.resolve(notHost());
  }

  pause(hostKey: string): Promise<Result<{}>> {
    return this.asHost(hostKey, (exh) => exh.pause());
  }

  resume(hostKey: string): Promise<Result<{}>> {
    return this.asHost(hostKey, (exh) => exh.resume());
  }

  /** The host ends the exhibition: unfinished games end as aborted. */
  end(hostKey: string): Promise<Result<{}>> {
    return this.asHost(hostKey, (exh) => exh.abort());
  }

  kick(hostKey: string, table: number): Promise<Result<{}>> {
    return this.asHost(hostKey, (exh) => exh.kick(table));
  }

  /** Several kicks as one command; refused only when none of them could be done. */
  kickMany(hostKey: string, tables: number[]): Promise<Result<{ removed: number[] }>> {
    return this.asHost(hostKey, (exh) => {
      const removed: number[] = [];
      let refusal: Result<{}> | null = null;
      // from the last table down, so freeing a seat before the start renumbers none still to come
      for (const table of [...new Set(tables)].sort((a, b) => b - a)) {
        const result = exh.kick(table);
        if (result.ok) removed.push(table);
        else refusal ??= result;
      }
      if (removed.length === 0 && refusal && !refusal.ok) return refusal;
      return { ok: true, removed: removed.sort((a, b) => a - b) };
    });
  }

  configure(hostKey: string, patch: ExhibitionConfigPatch): Promise<Result<{ config: ExhibitionConfig }>> {
    return this.asHost(hostKey, (exh) => {
      if (exh.status !== 'open') return fail('WRONG_STATE', 'The settings can only change before the start.');
      const parsed = exhibitionConfigSchema.safeParse({ ...exh.config, ...patch });
      if (!parsed.success) return fail('BAD_REQUEST', parsed.error.issues.map((i) => i.message).join('; '));
      const replaced = exh.reconfigure(parsed.data);
      return replaced.ok ? { ok: true, config: exh.config } : replaced;
    });
  }

  /**
   * Starts the exhibition once Judit's engine is ready; an engine that cannot start is said so here.
   * A start that will be refused launches no engine. The house starts itself this way.
   */
  async begin(): Promise<Result<{}>> {
    const exh = this.current;
    if (exh.status !== 'open') return fail('WRONG_STATE', `The exhibition is ${exh.status}.`);
    if (exh.boards.length === 0) return fail('WRONG_STATE', 'Nobody has taken a seat yet.');
    if (!this.judit.holdsBrain) {
      const may = this.deps.mayRun();
      if (!may.ok) return may;
    }
    try {
      await this.judit.brainReady();
    } catch (error) {
      this.deps.log.error({ exhibition: this.id, err: error }, 'Judit’s engine could not start');
      return fail('INTERNAL', `Judit’s engine could not start: ${(error as Error).message}`);
    }
    const started = await this.execute((x) => x.start());
    if (!started.ok) await this.judit.release();
    return started;
  }

  /**
   * Taken over from a process that died: its last command may have been stored but never announced,
   * so each board's last move is announced again (clients set aside a ply they already have).
   */
  announceLastMoves(): void {
    const events: ExhibitionEvent[] = [];
    for (const b of this.current.boards) {
      const move = b.moves.at(-1);
      if (move) events.push({ type: 'move', table: b.table, move, board: b.summary() });
    }
    if (events.length) this.announce(events);
  }

  /** An exhibition that was running when the server stopped carries on. */
  carryOn(): Promise<Result<{}>> {
    return this.execute((exh) => exh.resume());
  }

  /** Nobody attends it: it ends, finished games keeping their results. */
  abandon(): Promise<Result<{}>> {
    return this.execute((exh) => exh.abort('abandoned'));
  }

  // ── presence ───────────────────────────────────────────────────────────

  /** A spectator came or went; the count they are shown. */
  spectated(delta: 1 | -1): number {
    return this.presence.spectator(delta);
  }

  playerConnected(table: number, delta: 1 | -1): void {
    this.presence.player(table, delta);
  }

  hostConnected(delta: 1 | -1): void {
    this.presence.host(delta);
  }

  /** Runs `send` once, COALESCE_MS from now, however often it is asked for meanwhile. */
  coalesce(kind: string, send: () => void): void {
    if (this.coalescing.has(kind) || this.disposal.signal.aborted) return;
    this.coalescing.add(kind);
    void this.deps.clock.sleep(COALESCE_MS, this.disposal.signal).then(() => {
      this.coalescing.delete(kind);
      if (!this.disposal.signal.aborted) send();
    });
  }

  /**
   * Another process holds the exhibition now (a renewal failed, or a commit was refused as stale):
   * Judit stops at once and nothing more is written or announced from here.
   */
  lose(): void {
    if (this.disposal.signal.aborted) return;
    this.deps.log.warn({ exhibition: this.id, epoch: this.epoch }, 'exhibition lease lost; it is no longer served by this process');
    void this.dispose();
    this.deps.lost?.(this);
  }

  /** Stops Judit, her engine and every timer: the room is no longer served. */
  async dispose(): Promise<void> {
    this.disposal.abort();
    this.judit.stop();
    await this.judit.release();
  }

  // ── the pipeline ───────────────────────────────────────────────────────

  private asHost<T extends object>(hostKey: string, apply: (exh: Exhibition) => Result<T>): Promise<Result<T>> {
    // a host key never changes, so it is checked before the command waits its turn
    return this.isHost(hostKey) ? this.execute(apply) : Promise.resolve(notHost());
  }

  private asSeat<T extends object>(token: string, table: number, apply: (exh: Exhibition) => Result<T>): Promise<Result<T>> {
    // a seat may be freed while the command waits: its token is checked in turn
    return this.execute((exh) => {
      const seat = this.seatOf(token, table);
      return seat.ok ? apply(exh) : seat;
    });
  }

  /**
   * Runs one command in turn: applied to the core, everything it changed committed in one write,
   * its events announced, its result answered. `seat` is the seat's token hash and address when
   * the command takes one.
   */
  private execute<T extends object>(apply: (exh: Exhibition) => Result<T>, seat?: { tokenHash: string; address: string }): Promise<Result<T>> {
    return this.queue.run(async () => {
      if (this.broken) return fail('INTERNAL', INTERNAL);
      if (this.disposal.signal.aborted) return fail('WRONG_STATE', GONE);
      let result: Result<T>;
      let events: ExhibitionEvent[];
      let changes: Changes | null;
      try {
        result = apply(this.current);
        events = this.current.takeEvents();
        changes = this.changes(events, seat?.tokenHash);
        if (changes) {
          if (this.epoch === null) throw new Error('a record only read cannot change');
          await this.deps.store.commit(this.id, changes.commit, this.epoch);
        }
      } catch (error) {
        if (isStaleEpoch(error)) {
          this.lose();
          return fail('WRONG_STATE', GONE);
        }
        this.deps.log.error({ exhibition: this.id, err: error }, 'a command could not be stored; the exhibition is read back from the store');
        await this.rebuild();
        return fail('INTERNAL', INTERNAL);
      }
      if (changes) {
        for (const [table, saved] of changes.boards) this.savedBoards.set(table, saved);
        for (const table of changes.commit.removedBoards) this.savedBoards.delete(table);
        this.savedHeader = changes.header;
        this.noteSeats(changes.commit, seat?.address);
      }
      if (events.length) this.announce(events);
      return result;
    });
  }

  /** What the command changed, or null when it changed nothing. */
  private changes(events: ExhibitionEvent[], tokenHash?: string): Changes | null {
    const exh = this.current;
    let seated: number | null = null;
    for (const e of events) if (e.type === 'seat' && e.opponent !== null) seated = e.table;
    const boards: [number, SavedBoard][] = [];
    const changed: Commit['boards'] = [];
    let stillSeated = 0;
    for (const b of exh.boards) {
      const saved = this.savedBoards.get(b.table);
      if (saved) stillSeated++;
      // only a board changed since it was saved is written out; its state, if it differs
      if (saved?.revision === b.revision) continue;
      const state = b.state();
      const text = JSON.stringify(state);
      boards.push([b.table, { revision: b.revision, text }]);
      if (saved?.text !== text) changed.push(b.table === seated && tokenHash ? { state, tokenHash } : { state });
    }
    const removedBoards =
      stillSeated === this.savedBoards.size ? [] : [...this.savedBoards.keys()].filter((t) => !exh.board(t)).sort((a, b) => a - b);
    const boardsAsSaved = changed.length === 0 && removedBoards.length === 0;
    // a giver's new whereabouts alone (a third of all commands) are not worth a sync of their own, nor
    // the header's text: they go with the next commit; a restart before it finds her at the table
    // before, which she looks in on again
    if (boardsAsSaved && events.length > 0 && events.every((e) => e.type === 'judit')) return null;
    const header = exh.header();
    const headerText = textOf(header);
    if (boardsAsSaved && events.length === 0 && headerText === this.savedHeader) return null;
    const moves = events.flatMap((e) => (e.type === 'move' ? [{ table: e.table, move: e.move }] : []));
    return { commit: { header, boards: changed, removedBoards, moves }, boards, header: headerText };
  }

  private noteSaved(): void {
    this.savedBoards = new Map(this.current.boards.map((b) => [b.table, { revision: b.revision, text: JSON.stringify(b.state()) }]));
    this.savedHeader = textOf(this.current.header());
  }

  /** Seat tokens and addresses follow the seats the store now has. */
  private noteSeats(commit: Commit, address?: string): void {
    for (const { state, tokenHash } of commit.boards) {
      if (!tokenHash) continue;
      this.seatTokens.set(state.table, tokenHash);
      if (address) this.seatAddresses.set(state.table, address);
    }
    for (const table of commit.removedBoards) {
      this.seatTokens.delete(table);
      this.seatAddresses.delete(table);
    }
  }

  /**
   * After a failed commit: the exhibition as the store has it, Judit stopped. One that was running
   * carries on (the store says so), as after a restart; if the store cannot even be read, the room
   * takes no more commands rather than serve what is not on disk.
   */
  private async rebuild(): Promise<void> {
    this.judit.stop();
    try {
      const loaded = await this.deps.store.load(this.id);
      if (!loaded || isDamaged(loaded)) throw new Error(loaded ? loaded.damage : 'it is gone from the store');
      this.current = Exhibition.restore(loaded, this.deps.clock);
      this.seatTokens = new Map(loaded.seatTokens);
      for (const table of [...this.seatAddresses.keys()]) if (!this.seatTokens.has(table)) this.seatAddresses.delete(table);
      this.noteSaved();
      if (loaded.header.status === 'running' && !this.carryingOn) {
        // in the next turn; a resume that fails too leaves it paused, for the host to resume
        this.carryingOn = true;
        void this.carryOn().finally(() => (this.carryingOn = false));
      }
    } catch (error) {
      this.broken = true;
      this.deps.log.error({ exhibition: this.id, err: error }, 'the exhibition could not be read back from the store; it takes no more commands');
    }
  }

  private announce(events: ExhibitionEvent[]): void {
    for (const event of events) this.onEvent(event);
    for (const listener of [...this.listeners]) {
      try {
        listener(this, events);
      } catch (error) {
        this.deps.log.error({ exhibition: this.id, err: error }, 'a listener failed');
      }
    }
  }

  private onEvent(event: ExhibitionEvent): void {
    const { log } = this.deps;
    if (event.type === 'gameOver') {
      log.info({ exhibition: this.id, table: event.table, result: event.end.result, reason: event.end.reason }, 'game over');
    }
    if (event.type !== 'status') return;
    log.info({ exhibition: this.id, status: event.status }, 'exhibition status');
    if (event.status === 'running') void this.judit.start();
    else this.judit.stop();
    if (event.status === 'finished' || event.status === 'aborted') void this.judit.release();
  }

  // ── internals ──────────────────────────────────────────────────────────

  /** The table whose seat `token` opens (it must be `table` when one is named). */
  private seatOf(token: string, table?: number): Result<{ table: number }> {
    const own = this.tableOf(token, table);
    if (own === null) return fail('FORBIDDEN', 'That seat token is not valid here.');
    if (table !== undefined && table !== own) return fail('NOT_YOUR_SEAT', `Your seat is at table ${own}, not ${table}.`);
    if (!this.current.board(own)) return fail('FORBIDDEN', 'Your seat was freed by the host.');
    return { ok: true, table: own };
  }

  /** The table whose seat `token` opens; the table the command names is tried first (one hash). */
  private tableOf(token: string, claimed?: number): number | null {
    const hash = claimed === undefined ? undefined : this.seatTokens.get(claimed);
    if (claimed !== undefined && hash && secretMatches(token, hash)) return claimed;
    const presented = hashSecret(token);
    for (const [table, stored] of this.seatTokens) if (stored === presented) return table;
    return null;
  }

  private granted(table: number, token: string): Result<SeatGranted> {
    const board = this.detail(table);
    if (!board) return fail('NOT_FOUND', 'No such seat.');
    return { ok: true, table, token, board, snapshot: this.snapshot() };
  }
}

/**
 * The header as written, its time of writing aside. As text, taken at the commit: a header holds
 * some of the exhibition's own lists (each giver's whereabouts and times), changed in place.
 */
function textOf(header: ExhibitionHeader): string {
  return JSON.stringify({ ...header, savedAt: 0 });
}

export function notHost() {
  return fail('FORBIDDEN', 'That is not this exhibition’s host key.');
}
