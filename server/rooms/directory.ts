import { type ExhibitionConfig, exhibitionConfigSchema } from '../../shared/config.js';
import type { ExhibitionSummary } from '../../shared/domain.js';
import { type Failure, fail, type Result } from '../../shared/errors.js';
import type { LobbyPage } from '../../shared/protocol.js';
import type { Clock } from '../clock/clock.js';
import { Exhibition } from '../exhibition/exhibition.js';
import type { Brain } from '../judit/brain.js';
import type { Limits } from '../limits.js';
import { lobbyPage } from '../lobby.js';
import type { Logger } from '../log.js';
import { hashSecret, newId, newSecret } from '../secrets.js';
import { type DamagedExhibition, isDamaged, type Loaded, type Store, type StoredExhibition } from '../store/store.js';
import { summaryOfRecord } from '../exhibition/summary.js';
import { Room, type RoomDeps, type RoomListener } from './room.js';

/** Ended exhibitions the lobby lists; older results are still served by id, from the store. */
const RECENT_RESULTS = 200;
/** Ended exhibitions kept loaded after someone asked for one, so a crowd on its page reads the disk once. */
const LOADED_ENDED = 20;

/** The server's own exhibition, always open to a visitor: none when `boards` is 0. */
export interface HouseSettings {
  boards: number;
  /** Judit's strength (UCI_Elo); null plays at full strength. */
  elo: number | null;
  thinkSeconds: number;
  /** Each player's time for a move; past it the game is forfeited (a seat left behind frees nothing else). */
  moveLimitSeconds: number;
}

export const HOUSE_NAME = 'House exhibition';
/** How soon a house that could not start (the server busy) tries again. */
const HOUSE_RETRY_MS = 15_000;
/**
 * A lease no exhibition has: the process holding it decides whether a house opens, so processes
 * starting together on an empty store open one, not one each.
 */
const HOUSE_LEASE = 'house:opening';

/** This process beside others on one shared store: what it needs to hold, renew and take over leases. */
export interface ClusterSettings {
  /** How long a lease lasts unrenewed; it is renewed about every second. */
  leaseSeconds: number;
}

export interface DirectoryDeps {
  clock: Clock;
  /** A brain ready to think (an engine started and warmed up), or the reason it cannot be had. */
  createBrain: () => Promise<Brain>;
  store: Store;
  log: Logger;
  limits: Limits;
  house?: HouseSettings;
  /** Who this process is to the store's leases; a fresh id when not given. */
  owner?: string;
  /** Set when other processes share the store; absent, this process is the only one (the embedded store). */
  cluster?: ClusterSettings;
}

/** Where an exhibition is served: here (its room), by another process, or nowhere. */
export type Located = { ok: true; room: Room } | { ok: true; remote: true } | Failure;

/** How often held leases are renewed. */
const RENEW_MS = 1_000;
/** How often expired leases are looked for: soon after one expires, its exhibition carries on. */
const TAKEOVER_MS = 250;
/** The lobby's list of the other processes' exhibitions is read again every this many looks. */
const REMOTE_REFRESH_TICKS = 8;
/** The recent results are read again when one of the others' exhibitions ended, and at least this often. */
const ENDED_REFRESH_TICKS = 120;

/**
 * Every exhibition's room: it creates them, finds them (an ended one read from the store on
 * demand), lists them for the lobby, keeps the house exhibition open, ends the abandoned, and
 * brings them back after a restart. It changes no exhibition itself: commands go to the rooms.
 */
export class Directory {
  /** Every exhibition not over yet: only these live in memory for good. */
  private readonly active = new Map<string, Room>();
  /** Summaries of the most recently created ended exhibitions, for the lobby. */
  private readonly ended = new Map<string, ExhibitionSummary>();
  /** Ended exhibitions loaded from the store on demand, least recently asked for first. */
  private readonly loaded = new Map<string, Room>();
  /** Exhibitions whose stored record is damaged: listed as such, served to no one, left on disk as they are. */
  private readonly damaged = new Map<string, ExhibitionSummary>();
  private readonly listeners = new Set<RoomListener>();
  private readonly takeoverListeners = new Set<(id: string) => void>();
  private readonly sweeping = new AbortController();
  private readonly roomDeps: RoomDeps;
  /** The house exhibition taking seats now, if the server keeps one. */
  private houseRoom: Room | null = null;
  /** A new house being created: two seats filling the last one at once open one house, not two. */
  private openingHouse: Promise<void> | null = null;
  /** Summaries of the exhibitions not over that other processes hold, for the lobby. */
  private readonly remote = new Map<string, ExhibitionSummary>();
  readonly owner: string;
  private readonly leaseMs: number;

  constructor(private readonly deps: DirectoryDeps) {
    const { clock, store, log, createBrain, limits } = deps;
    const mayRun = (): Result<{}> =>
      this.running() < limits.maxRunning
        ? { ok: true }
        : fail('SERVER_BUSY', `The server is already running ${limits.maxRunning} exhibitions, its most; try again when one has ended.`);
    this.owner = deps.owner ?? newId();
    this.leaseMs = (deps.cluster?.leaseSeconds ?? 5) * 1_000;
    this.roomDeps = { clock, store, log, createBrain, mayRun, lost: (room) => this.onLost(room) };
    void this.sweepAbandoned();
    if (deps.cluster) void this.keepLeases();
  }

  /** Told the id of each exhibition this process took over from another. */
  onTakeover(listener: (id: string) => void): void {
    this.takeoverListeners.add(listener);
  }

  /** Told every room's announced events, in each room's order. */
  subscribe(listener: RoomListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async create(config: ExhibitionConfig): Promise<{ room: Room; hostKey: string }> {
    const hostKey = newSecret();
    const exh = new Exhibition(newId(), config, this.deps.clock);
    // the lease first: no other process may take up an exhibition whose creator is still writing it
    const epoch = await this.deps.store.acquireLease(exh.id, this.owner, this.leaseMs);
    if (epoch === null) throw new Error(`a new exhibition's lease (${exh.id}) is already held`);
    const room = this.open(exh, hashSecret(hostKey), new Map(), epoch);
    await this.deps.store.createExhibition(exh.id, exh.createdAt, room.hostKeyHash, exh.header());
    this.active.set(exh.id, room);
    this.deps.log.info({ exhibition: exh.id, name: config.name, boards: config.boards }, 'exhibition created');
    return { room, hostKey };
  }

  /**
   * Brings back every stored exhibition not over yet whose lease this process can take (those that
   * were running carry on; the others are another process's, listed) and the lobby's recent
   * results; ended exhibitions stay on disk until someone asks for one.
   */
  async restore(): Promise<void> {
    const { store } = this.deps;
    let resumed = 0;
    this.listEnded(await store.recentEnded(RECENT_RESULTS));
    for (const loaded of await store.loadActive()) {
      if (isDamaged(loaded)) {
        this.quarantine(loaded);
        continue;
      }
      const epoch = await store.acquireLease(loaded.id, this.owner, this.leaseMs);
      if (epoch === null) {
        this.noteRemote(loaded);
        continue;
      }
      // another process may have written it until its lease changed hands: it is read again, ours now
      const current = this.deps.cluster ? await store.load(loaded.id) : loaded;
      if (current && (await this.adopt(current, epoch))) resumed++;
    }
    if (this.active.size) this.deps.log.info({ exhibitions: this.active.size, resumed }, 'exhibitions restored');
    // the house from before the restart carries on as the house, rather than a second one opening
    this.houseRoom = this.all().find((r) => this.isHouse(r)) ?? null;
    if (this.houseRoom) this.startHouse(this.houseRoom);
    await this.openHouse();
  }

  /** The house exhibition taking seats now, or null when the server keeps none. */
  house(): Room | null {
    return this.houseRoom;
  }

  /** An exhibition in memory (one not over, or an ended one loaded lately). */
  get(id: string): Room | undefined {
    return this.active.get(id) ?? this.loaded.get(id);
  }

  /** An exhibition not over whose lease this process holds: the one place its commands are applied. */
  held(id: string): Room | undefined {
    return this.active.get(id);
  }

  /**
   * Any exhibition to read (its PGN, a board): the room here, or, for one another process serves,
   * the exhibition as the store has it now, read once and kept nowhere.
   */
  async read(id: string): Promise<Result<{ room: Room }>> {
    const found = await this.find(id);
    if (found.ok || !this.remote.has(id)) return found;
    const loaded = await this.deps.store.load(id);
    const revived = loaded && this.revive(loaded);
    if (!revived) return fail('NOT_FOUND', 'No such exhibition.');
    return { ok: true, room: new Room(revived.exh, revived.stored.hostKeyHash, revived.stored.seatTokens, this.roomDeps, null) };
  }

  /** Where an exhibition is served: by a room here (an ended one loaded if need be), or by another process. */
  async locate(id: string): Promise<Located> {
    const here = this.get(id);
    if (here) return { ok: true, room: here };
    if (this.remote.has(id)) return { ok: true, remote: true };
    const found = await this.find(id); // an ended one, or one another process began lately
    if (found.ok || !this.remote.has(id)) return found;
    return { ok: true, remote: true };
  }

  /** Any exhibition, an ended one loaded from the store if need be. */
  async find(id: string): Promise<Result<{ room: Room }>> {
    const room = this.get(id) ?? (await this.loadEnded(id));
    if (room) return { ok: true, room };
    if (this.damaged.has(id)) {
      return fail('NOT_FOUND', 'This exhibition’s stored record is damaged, so it cannot be shown; the server keeps it aside as it is.');
    }
    return fail('NOT_FOUND', 'No such exhibition.');
  }

  /** The exhibitions not over yet. */
  all(): Room[] {
    return [...this.active.values()];
  }

  /** A page of the lobby, after `cursor`: every exhibition not over, and the recent results. */
  lobby(cursor?: string): LobbyPage {
    const here = this.all().map((r) => r.summary());
    return lobbyPage([...here, ...this.remote.values(), ...this.ended.values(), ...this.damaged.values()], cursor);
  }

  /** Exhibitions holding a brain or about to: running, paused, or starting. */
  running(): number {
    let n = 0;
    for (const room of this.active.values()) if (room.holdsEngine) n++;
    return n;
  }

  /** Stops every room (Judit, engines, timers) and the store: the server is going down. */
  async close(): Promise<void> {
    this.sweeping.abort();
    await Promise.all([...this.active.values(), ...this.loaded.values()].map((r) => r.dispose()));
    // another process takes them up at once, rather than after the leases expire
    if (this.deps.cluster) await Promise.allSettled(this.all().map((r) => this.release(r)));
    await this.deps.store.close();
  }

  // ── internals ──────────────────────────────────────────────────────────

  private open(exh: Exhibition, hostKeyHash: string, seatTokens: Map<number, string>, epoch: number | null): Room {
    const room = new Room(exh, hostKeyHash, seatTokens, this.roomDeps, epoch);
    room.subscribe((r, events) => this.onAnnounced(r, events));
    return room;
  }

  private onAnnounced(room: Room, events: Parameters<RoomListener>[1]): void {
    for (const listener of this.listeners) listener(room, events);
    const exh = room.exh;
    if (events.some((e) => e.type === 'status') && (exh.status === 'finished' || exh.status === 'aborted')) this.retire(room);
    if (room === this.houseRoom && events.some((e) => e.type === 'seat' || e.type === 'status')) {
      this.startHouse(room);
      this.openHouse().catch((error: unknown) => this.deps.log.error({ err: error }, 'a new house exhibition could not be opened'));
    }
  }

  /**
   * A fresh house exhibition when there is none taking seats: at the start, and whenever the last
   * one fills or ends. Nobody holds its host key; it starts itself when its first player sits.
   */
  private openHouse(): Promise<void> {
    this.openingHouse ??= this.replaceHouse().finally(() => (this.openingHouse = null));
    return this.openingHouse;
  }

  private async replaceHouse(): Promise<void> {
    const settings = this.deps.house;
    if (!settings || settings.boards === 0 || this.sweeping.signal.aborted) return;
    const current = this.houseRoom;
    if (current && current.exh.seating && current.exh.boards.length < current.exh.config.boards) return;
    if (!this.deps.cluster) return this.createHouse(settings);
    const { store } = this.deps;
    const epoch = await store.acquireLease(HOUSE_LEASE, this.owner, this.leaseMs);
    if (epoch === null) {
      // another process is deciding; should it die meanwhile, this one looks again once its lease is out
      void this.deps.clock
        .sleep(this.leaseMs, this.sweeping.signal)
        .then(() => this.openHouse())
        .catch((error: unknown) => this.deps.log.error({ err: error }, 'a new house exhibition could not be opened'));
      return;
    }
    try {
      // the other processes' exhibitions read again, under the lease: a house one opened just now counts
      await this.refreshRemote();
      if ([...this.remote.values()].some((x) => x.name === HOUSE_NAME && x.seatsFree > 0)) return;
      await this.createHouse(settings);
    } finally {
      await store.releaseLease(HOUSE_LEASE, this.owner, epoch).catch(() => {});
    }
  }

  private async createHouse(settings: HouseSettings): Promise<void> {
    this.houseRoom = null;
    const { room } = await this.create(
      exhibitionConfigSchema.parse({
        name: HOUSE_NAME,
        boards: settings.boards,
        juditColor: 'black', // the visitor moves first, at once
        thinkSeconds: settings.thinkSeconds,
        opponentMoveLimitSeconds: settings.moveLimitSeconds,
        elo: settings.elo,
        lateJoin: true,
      }),
    );
    this.houseRoom = room;
  }

  /** The house starts as its first player sits; a refused start (the server busy) is tried again shortly. */
  private startHouse(room: Room): void {
    if (room.exh.status !== 'open' || room.exh.boards.length === 0 || room.holdsEngine) return;
    void room.begin().then((started) => {
      if (started.ok || room.exh.status !== 'open') return;
      this.deps.log.warn({ exhibition: room.id, error: started.error }, 'the house exhibition could not start; trying again shortly');
      void this.deps.clock.sleep(HOUSE_RETRY_MS, this.sweeping.signal).then(() => {
        if (!this.sweeping.signal.aborted) this.startHouse(room);
      });
    });
  }

  /**
   * The exhibition a store gave back, or null when its record is damaged (rows that are not JSON, a
   * stored move that is not legal): that one is logged and set aside, and the rest are served.
   */
  private revive(loaded: Loaded): { exh: Exhibition; stored: StoredExhibition } | null {
    // a header missing any part the lobby shows is damaged too
    if (!this.summarize(loaded) || isDamaged(loaded)) return null;
    try {
      return { exh: Exhibition.restore(loaded, this.deps.clock), stored: loaded };
    } catch (error) {
      return this.setAside(loaded, error);
    }
  }

  /** What the lobby lists of a stored exhibition, or null when its record is damaged (then set aside). */
  private summarize(loaded: Loaded): ExhibitionSummary | null {
    if (isDamaged(loaded)) return this.quarantine(loaded);
    try {
      return summaryOfRecord(loaded);
    } catch (error) {
      return this.setAside(loaded, error);
    }
  }

  private setAside(stored: StoredExhibition, error: unknown): null {
    const name = typeof stored.header?.config?.name === 'string' ? stored.header.config.name : null;
    return this.quarantine({ id: stored.id, createdAt: stored.createdAt, name, damage: (error as Error).message });
  }

  private quarantine(d: DamagedExhibition): null {
    if (!this.damaged.has(d.id)) this.deps.log.error({ exhibition: d.id, damage: d.damage }, 'exhibition set aside: its stored record is damaged');
    this.ended.delete(d.id);
    this.damaged.set(d.id, {
      id: d.id,
      name: d.name ?? 'Unreadable exhibition',
      status: 'aborted',
      seatsTaken: 0,
      seatsFree: 0,
      elo: null,
      thinkSeconds: 0,
      description: '',
      clock: null,
      results: { wins: 0, draws: 0, losses: 0, unfinished: 0 },
      createdAt: d.createdAt,
      stoppedAs: null,
      damaged: true,
    });
    return null;
  }

  /**
   * Ends exhibitions nobody attends: open, running or paused with neither the host nor a player
   * connected for abandonMinutes. Finished games keep their results; the others end unfinished.
   */
  private async sweepAbandoned(): Promise<void> {
    const { clock, limits, log } = this.deps;
    const abandonMs = limits.abandonMinutes * 60_000;
    const signal = this.sweeping.signal;
    while (!signal.aborted) {
      await clock.sleep(Math.min(60_000, abandonMs / 4), signal);
      if (signal.aborted) return;
      const now = clock.now();
      for (const room of [...this.active.values()]) {
        const { idleSince } = room.presence;
        if (idleSince === null || now - idleSince < abandonMs) continue;
        if (room.exh.status === 'finished' || room.exh.status === 'aborted') continue;
        if (room === this.houseRoom && room.exh.boards.length === 0) continue; // the house waits for its first player
        log.info({ exhibition: room.id, idleMinutes: Math.round((now - idleSince) / 60_000) }, 'exhibition abandoned');
        void room.abandon();
      }
    }
  }

  /** An ended exhibition leaves memory: its summary stays in the lobby, the rest is on disk. */
  private retire(room: Room): void {
    if (!this.active.delete(room.id)) return;
    void this.release(room);
    this.ended.set(room.id, room.summary());
    if (this.ended.size > RECENT_RESULTS) {
      // the oldest created goes: the lobby lists the recent results
      const oldest = [...this.ended.values()].reduce((a, b) => (b.createdAt < a.createdAt ? b : a));
      this.ended.delete(oldest.id);
    }
    this.remember(room); // those on its page ask for it again in a moment
  }

  private async loadEnded(id: string): Promise<Room | undefined> {
    if (this.damaged.has(id)) return undefined;
    const loaded = await this.deps.store.load(id);
    const revived = loaded && this.revive(loaded);
    if (!revived) return undefined;
    if (revived.exh.status !== 'finished' && revived.exh.status !== 'aborted') {
      // not over and not here: another process holds it (or took it from this one)
      if (this.deps.cluster && !this.active.has(id)) this.remote.set(id, summaryOfRecord(revived.stored));
      return undefined;
    }
    // another request may have loaded it meanwhile
    const known = this.get(id);
    if (known) return known;
    const room = this.open(revived.exh, revived.stored.hostKeyHash, revived.stored.seatTokens, null);
    this.remember(room);
    return room;
  }

  private remember(room: Room): void {
    this.loaded.delete(room.id);
    this.loaded.set(room.id, room);
    if (this.loaded.size > LOADED_ENDED) {
      const oldest = this.loaded.keys().next().value!;
      void this.loaded.get(oldest)!.dispose();
      this.loaded.delete(oldest);
    }
  }

  // ── ownership ──────────────────────────────────────────────────────────

  /**
   * A stored exhibition this process now holds the lease of at `epoch`: its room opens, and one that
   * was running carries on. Whether it carries on; one that cannot be served gives its lease back.
   * `takenOver` from a process that stopped: what it stored last is announced again.
   */
  private async adopt(loaded: Loaded, epoch: number, takenOver = false): Promise<boolean> {
    const revived = this.revive(loaded);
    if (!revived || revived.exh.status === 'finished' || revived.exh.status === 'aborted') {
      await this.deps.store.releaseLease(loaded.id, this.owner, epoch);
      return false;
    }
    const { exh, stored } = revived;
    const room = this.open(exh, stored.hostKeyHash, stored.seatTokens, epoch);
    this.active.set(exh.id, room);
    this.remote.delete(exh.id);
    if (takenOver) room.announceLastMoves();
    this.houseRoom ??= this.isHouse(room) ? room : null;
    return stored.header.status === 'running' && (await room.carryOn()).ok;
  }

  private isHouse(room: Room): boolean {
    return room.exh.config.lateJoin && room.exh.config.name === HOUSE_NAME && room.exh.seating;
  }

  private async release(room: Room): Promise<void> {
    if (room.epoch === null) return;
    await this.deps.store.releaseLease(room.id, this.owner, room.epoch).catch((error: unknown) => {
      this.deps.log.warn({ exhibition: room.id, err: error }, 'a lease could not be given back; it will expire');
    });
  }

  /** Another process holds the exhibition now: it is listed as theirs. */
  private onLost(room: Room): void {
    if (this.active.get(room.id) !== room) return;
    this.active.delete(room.id);
    if (this.houseRoom === room) this.houseRoom = null;
    this.remote.set(room.id, room.summary());
  }

  private noteRemote(loaded: Loaded): void {
    const summary = this.summarize(loaded);
    if (summary) this.remote.set(loaded.id, summary);
  }

  private listEnded(records: Loaded[]): void {
    for (const loaded of records) {
      const summary = this.summarize(loaded);
      if (summary) this.ended.set(loaded.id, summary);
    }
  }

  /**
   * With a shared store: every second each held lease is renewed (a room whose renewal fails stops
   * at once); four times a second expired leases of exhibitions not over are looked for and taken
   * (their process died or hung: the exhibition is read back and carries on here); every two
   * seconds the others' exhibitions are listed again.
   */
  private async keepLeases(): Promise<void> {
    const { clock, log } = this.deps;
    const signal = this.sweeping.signal;
    // renewals on their own: a takeover waiting on the store must not let this process's leases lapse
    void (async () => {
      while (!signal.aborted) {
        await clock.sleep(RENEW_MS, signal);
        if (!signal.aborted) await Promise.all(this.all().map((room) => this.renew(room)));
      }
    })();
    for (let tick = 0; !signal.aborted; tick++) {
      await clock.sleep(TAKEOVER_MS, signal);
      if (signal.aborted) return;
      try {
        await this.takeOver();
        if (tick % REMOTE_REFRESH_TICKS === 0) await this.refreshRemote(tick % ENDED_REFRESH_TICKS === 0);
      } catch (error) {
        log.warn({ err: error }, 'the store could not be asked for leases to take over');
      }
    }
  }

  private async renew(room: Room): Promise<void> {
    let kept = false;
    try {
      kept = room.epoch !== null && (await this.deps.store.renewLease(room.id, this.owner, room.epoch, this.leaseMs));
    } catch (error) {
      this.deps.log.warn({ exhibition: room.id, err: error }, 'a lease could not be renewed');
    }
    if (!kept && this.active.get(room.id) === room) room.lose();
  }

  private async takeOver(): Promise<void> {
    const { store, log } = this.deps;
    for (const id of await store.unleasedActive()) {
      if (this.active.has(id) || this.damaged.has(id) || this.sweeping.signal.aborted) continue;
      const epoch = await store.acquireLease(id, this.owner, this.leaseMs);
      if (epoch === null) continue;
      const loaded = await store.load(id);
      log.info({ exhibition: id, epoch }, 'exhibition taken over: its lease had expired');
      if (!loaded) {
        await store.releaseLease(id, this.owner, epoch);
        continue;
      }
      await this.adopt(loaded, epoch, true);
      for (const listener of this.takeoverListeners) listener(id);
      // a house waiting for its first player's start starts here now
      const room = this.active.get(id);
      if (room && room === this.houseRoom) this.startHouse(room);
    }
  }

  /**
   * The lobby's list of what the other processes hold, read again, and the recent results when
   * `readEnded` or when one of theirs has ended: headers and boards without their moves, so no game
   * is replayed.
   */
  private async refreshRemote(readEnded = true): Promise<void> {
    const { store } = this.deps;
    const others = new Map<string, ExhibitionSummary>();
    for (const loaded of await store.listActive()) {
      if (this.active.has(loaded.id) || isDamaged(loaded)) continue;
      const summary = this.summarize(loaded);
      if (summary) others.set(loaded.id, summary);
    }
    // one that was the others' and is listed no more has ended (or is this process's now)
    const ended = [...this.remote.keys()].some((id) => !others.has(id));
    this.remote.clear();
    for (const [id, summary] of others) if (!this.active.has(id)) this.remote.set(id, summary);
    if (readEnded || ended) this.listEnded(await store.recentEnded(RECENT_RESULTS));
  }
}
