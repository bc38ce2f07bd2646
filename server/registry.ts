import { type ExhibitionConfig, type ExhibitionConfigPatch, exhibitionConfigSchema } from '../shared/config.js';
import type { Color, ExhibitionSummary, MoveRecord } from '../shared/domain.js';
import { fail, type Failure, type Result } from '../shared/errors.js';
import type { ExhibitionEvent } from '../shared/events.js';
import type { BoardDetail, ExhibitionSnapshot, LobbyPage, SeatGranted, SeatInfo, Timeline } from '../shared/protocol.js';
import type { Clock } from './clock/clock.js';
import type { Board } from './exhibition/board.js';
import { Exhibition } from './exhibition/exhibition.js';
import { etas, tally } from './exhibition/stats.js';
import type { Brain } from './judit/brain.js';
import { employJudit } from './judit/loop.js';
import type { Limits } from './limits.js';
import { lobbyPage } from './lobby.js';
import type { Logger } from './log.js';
import { hashSecret, newId, newSecret, secretMatches } from './secrets.js';
import { type DamagedExhibition, isDamaged, type Loaded, type Store, type StoredExhibition } from './store/store.js';

/** One exhibition as the server holds it: the core plus its secrets and who is connected. */
export interface Hosted {
  exh: Exhibition;
  hostKeyHash: string;
  /** Seat token hashes by table. */
  seatTokens: Map<number, string>;
  /** Open connections per table. */
  connections: Map<number, number>;
  /** Open host consoles. */
  hostConnections: number;
  /** The network address that took each seat, for the per-address seat cap. */
  seatAddresses: Map<number, string>;
  /** Since when neither the host nor any player has been connected; null while someone is. */
  idleSince: number | null;
  spectators: number;
  /** Judit's brain for this exhibition, started with it and stopped when it ends. */
  brain: Promise<Brain> | null;
  stopJudit: (() => void) | null;
  /** The hash of the token being issued for the seat now being taken, stored with the seat. */
  issuingTokenHash: string | null;
}

export type RegistryListener = (hosted: Hosted, event: ExhibitionEvent) => void;

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

export interface RegistryDeps {
  clock: Clock;
  /** A brain ready to think (an engine started and warmed up), or the reason it cannot be had. */
  createBrain: () => Promise<Brain>;
  store: Store;
  log: Logger;
  limits: Limits;
  house?: HouseSettings;
}

/**
 * The authority over every exhibition: it creates them, checks host keys and seat tokens, and
 * employs Judit while each runs. It knows nothing of sockets or HTTP; transports listen to it.
 */
export class Registry {
  /** Every exhibition not over yet: only these live in memory for good. */
  private readonly hosted = new Map<string, Hosted>();
  /** Summaries of the most recently created ended exhibitions, for the lobby. */
  private readonly ended = new Map<string, ExhibitionSummary>();
  /** Ended exhibitions loaded from the store on demand, least recently asked for first. */
  private readonly loaded = new Map<string, Hosted>();
  /** Exhibitions whose stored record is damaged: listed as such, served to no one, left on disk as they are. */
  private readonly damaged = new Map<string, ExhibitionSummary>();
  private readonly listeners = new Set<RegistryListener>();
  private readonly sweeping = new AbortController();
  /** The house exhibition taking seats now, if the server keeps one. */
  private houseHosted: Hosted | null = null;

  constructor(private readonly deps: RegistryDeps) {
    void this.sweepAbandoned();
  }

  on(listener: RegistryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  create(config: ExhibitionConfig): { hosted: Hosted; hostKey: string } {
    const hostKey = newSecret();
    const exh = new Exhibition(newId(), config, this.deps.clock);
    const hosted = this.host(exh, hashSecret(hostKey), new Map());
    this.hosted.set(exh.id, hosted);
    this.deps.store.createExhibition(exh.id, exh.createdAt, hosted.hostKeyHash, exh.header());
    this.deps.log.info({ exhibition: exh.id, name: config.name, boards: config.boards }, 'exhibition created');
    return { hosted, hostKey };
  }

  /**
   * Brings back every stored exhibition not over yet (those that were running carry on) and the
   * lobby's recent results; ended exhibitions stay on disk until someone asks for one.
   */
  restore(): void {
    let resumed = 0;
    for (const loaded of this.deps.store.recentEnded(RECENT_RESULTS)) {
      const revived = this.revive(loaded);
      if (revived) this.ended.set(revived.exh.id, this.summaryOf(revived.exh));
    }
    for (const loaded of this.deps.store.loadActive()) {
      const revived = this.revive(loaded);
      if (!revived) continue;
      const { exh, stored } = revived;
      this.hosted.set(exh.id, this.host(exh, stored.hostKeyHash, stored.seatTokens));
      if (stored.header.status === 'running') {
        exh.resume();
        resumed++;
      }
    }
    if (this.hosted.size) this.deps.log.info({ exhibitions: this.hosted.size, resumed }, 'exhibitions restored');
    // the house from before the restart carries on as the house, rather than a second one opening
    this.houseHosted = this.all().find((h) => h.exh.config.lateJoin && h.exh.config.name === HOUSE_NAME && h.exh.seating) ?? null;
    if (this.houseHosted) this.onHouseSeat(this.houseHosted);
    this.openHouse();
  }

  /** The house exhibition taking seats now, or null when the server keeps none. */
  house(): Hosted | null {
    return this.houseHosted;
  }

  /**
   * A fresh house exhibition when there is none taking seats: at the start, and whenever the last
   * one fills or ends. Nobody holds its host key; it starts itself when its first player sits.
   */
  private openHouse(): void {
    const settings = this.deps.house;
    if (!settings || settings.boards === 0) return;
    const current = this.houseHosted;
    if (current && current.exh.seating && current.exh.boards.length < current.exh.config.boards) return;
    this.houseHosted = null;
    const { hosted } = this.create(
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
    this.houseHosted = hosted;
  }

  /** The house starts as its first player sits; a refused start (the server busy) is tried again shortly. */
  private onHouseSeat(h: Hosted): void {
    if (h.exh.status !== 'open' || h.exh.boards.length === 0 || h.brain !== null) return;
    void this.start(h).then((started) => {
      if (started.ok || h.exh.status !== 'open') return;
      this.deps.log.warn({ exhibition: h.exh.id, error: started.error }, 'the house exhibition could not start; trying again shortly');
      void this.deps.clock.sleep(HOUSE_RETRY_MS, this.sweeping.signal).then(() => {
        if (!this.sweeping.signal.aborted) this.onHouseSeat(h);
      });
    });
  }

  /**
   * The exhibition a store gave back, or null when its record is damaged (rows that are not JSON, a
   * stored move that is not legal): that one is logged and set aside, and the rest are served.
   */
  private revive(loaded: Loaded): { exh: Exhibition; stored: StoredExhibition } | null {
    if (isDamaged(loaded)) return this.quarantine(loaded);
    try {
      const exh = Exhibition.restore(loaded, this.deps.clock);
      this.summaryOf(exh); // reads every part the lobby shows: a header missing one is damaged too
      return { exh, stored: loaded };
    } catch (error) {
      const name = typeof loaded.header?.config?.name === 'string' ? loaded.header.config.name : null;
      return this.quarantine({ id: loaded.id, createdAt: loaded.createdAt, name, damage: (error as Error).message });
    }
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

  private host(exh: Exhibition, hostKeyHash: string, seatTokens: Map<number, string>): Hosted {
    const hosted: Hosted = {
      exh,
      hostKeyHash,
      seatTokens,
      connections: new Map(),
      hostConnections: 0,
      seatAddresses: new Map(),
      idleSince: this.deps.clock.now(),
      spectators: 0,
      brain: null,
      stopJudit: null,
      issuingTokenHash: null,
    };
    exh.on((event) => this.onEvent(hosted, event));
    return hosted;
  }

  /** An exhibition in memory (one not over, or an ended one loaded lately). */
  get(id: string): Hosted | undefined {
    return this.hosted.get(id) ?? this.loaded.get(id);
  }

  /** Any exhibition, an ended one loaded from the store if need be. */
  find(id: string): Result<{ hosted: Hosted }> {
    const hosted = this.get(id) ?? this.loadEnded(id);
    if (hosted) return { ok: true, hosted };
    if (this.damaged.has(id)) {
      return fail('NOT_FOUND', 'This exhibition’s stored record is damaged, so it cannot be shown; the server keeps it aside as it is.');
    }
    return fail('NOT_FOUND', 'No such exhibition.');
  }

  /** The exhibitions not over yet. */
  all(): Hosted[] {
    return [...this.hosted.values()];
  }

  /** A page of the lobby, after `cursor`: every exhibition not over, and the recent results. */
  lobby(cursor?: string): LobbyPage {
    return lobbyPage([...this.all().map((h) => this.summary(h)), ...this.ended.values(), ...this.damaged.values()], cursor);
  }

  summary(h: Hosted): ExhibitionSummary {
    return this.summaryOf(h.exh);
  }

  private summaryOf(exh: Exhibition): ExhibitionSummary {
    return {
      id: exh.id,
      name: exh.config.name,
      status: exh.status,
      seatsTaken: exh.boards.length,
      seatsFree: exh.seating ? exh.config.boards - exh.boards.length : 0,
      elo: exh.config.elo,
      thinkSeconds: exh.config.thinkSeconds,
      description: exh.config.description,
      clock: exh.config.clock,
      results: tally(exh),
      createdAt: exh.createdAt,
      stoppedAs: exh.stoppedAs,
    };
  }

  snapshot(h: Hosted): ExhibitionSnapshot {
    const { exh } = h;
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
      judit: exh.judit,
      etas: etas(exh, now),
      stats: exh.stats(now),
      spectators: h.spectators,
      serverNow: now,
    };
  }

  seats(h: Hosted): SeatInfo[] {
    return h.exh.boards.map((b) => ({
      table: b.table,
      opponent: b.opponent,
      connected: (h.connections.get(b.table) ?? 0) > 0,
    }));
  }

  // ── capabilities ───────────────────────────────────────────────────────

  /** The exhibition, if `hostKey` is its host key. */
  asHost(id: string, hostKey: string): Result<{ hosted: Hosted }> {
    const found = this.find(id);
    if (!found.ok) return found;
    if (!secretMatches(hostKey, found.hosted.hostKeyHash)) return fail('FORBIDDEN', 'That is not this exhibition’s host key.');
    return found;
  }

  /** The board `table`, if `token` is its seat token. */
  asSeat(id: string, token: string, table?: number): Result<{ hosted: Hosted; board: Board }> {
    const found = this.find(id);
    if (!found.ok) return found;
    const hosted = found.hosted;
    const own = this.tableOf(hosted, token, table);
    if (own === null) return fail('FORBIDDEN', 'That seat token is not valid here.');
    if (table !== undefined && table !== own) return fail('NOT_YOUR_SEAT', `Your seat is at table ${own}, not ${table}.`);
    const board = hosted.exh.board(own);
    if (!board) return fail('FORBIDDEN', 'Your seat was freed by the host.');
    return { ok: true, hosted, board };
  }

  /** `act` on the exhibition, if `token` is the seat token of `table`. */
  private onOwnBoard<T>(id: string, token: string, table: number, act: (exh: Exhibition) => Result<T>): Result<T> {
    const seat = this.asSeat(id, token, table);
    return seat.ok ? act(seat.hosted.exh) : seat;
  }

  // ── commands ───────────────────────────────────────────────────────────

  /**
   * A seat for `name`, taken from network `address` (at most the exhibition's seatsPerAddress);
   * `pick`: the colour they chose; `approved` when the host accepted them, where the host must.
   */
  takeSeat(id: string, name: string, address: string, pick: Color | null = null, approved = false): Result<SeatGranted> {
    const found = this.find(id);
    if (!found.ok) return found;
    const hosted = found.hosted;
    if (hosted.exh.config.approval && !approved) return fail('FORBIDDEN', 'The host accepts each player here: ask to join.');
    const cap = hosted.exh.config.seatsPerAddress;
    let held = 0;
    for (const a of hosted.seatAddresses.values()) if (a === address) held++;
    if (held >= cap) return fail('EXHIBITION_FULL', `This exhibition takes at most ${cap} seats from one network address.`);
    const token = newSecret();
    hosted.issuingTokenHash = hashSecret(token);
    const taken = hosted.exh.takeSeat(name, pick);
    hosted.issuingTokenHash = null;
    if (!taken.ok) return taken;
    hosted.seatTokens.set(taken.table, hashSecret(token));
    hosted.seatAddresses.set(taken.table, address);
    this.deps.log.info({ exhibition: id, table: taken.table }, 'seat taken');
    return this.granted(hosted, taken.table, token);
  }

  claimSeat(id: string, token: string): Result<SeatGranted> {
    const seat = this.asSeat(id, token);
    if (!seat.ok) return seat;
    return this.granted(seat.hosted, seat.board.table, token);
  }

  /**
   * Starts the exhibition once Judit's engine is ready; an engine that cannot start is said so here.
   * A start that will be refused launches no engine, and no more than maxRunning exhibitions run.
   */
  async start(h: Hosted): Promise<Result<{}>> {
    if (h.exh.status !== 'open') return fail('WRONG_STATE', `The exhibition is ${h.exh.status}.`);
    if (h.exh.boards.length === 0) return fail('WRONG_STATE', 'Nobody has taken a seat yet.');
    const { maxRunning } = this.deps.limits;
    if (h.brain === null && this.running() >= maxRunning) {
      return fail('SERVER_BUSY', `The server is already running ${maxRunning} exhibitions, its most; try again when one has ended.`);
    }
    try {
      await this.brainFor(h);
    } catch (error) {
      this.deps.log.error({ exhibition: h.exh.id, err: error }, 'Judit’s engine could not start');
      return fail('INTERNAL', `Judit’s engine could not start: ${(error as Error).message}`);
    }
    const started = h.exh.start();
    if (!started.ok) await this.releaseBrain(h);
    return started;
  }

  /** Exhibitions holding a brain or about to: running, paused, or starting. */
  running(): number {
    let n = 0;
    for (const h of this.hosted.values()) if (h.brain !== null || h.exh.status === 'running' || h.exh.status === 'paused') n++;
    return n;
  }

  /** A player's move on their own board (the token must open `table`). */
  move(id: string, token: string, table: number, ply: number, uci: string): Result<{ move: MoveRecord; duplicate: boolean }> {
    return this.onOwnBoard(id, token, table, (exh) => exh.move(table, ply, uci));
  }

  resign(id: string, token: string, table: number): Result<{}> {
    return this.onOwnBoard(id, token, table, (exh) => exh.resign(table));
  }

  offerDraw(id: string, token: string, table: number): Result<{}> {
    return this.onOwnBoard(id, token, table, (exh) => exh.offerDraw(table));
  }

  pause(h: Hosted): Result<{}> {
    return h.exh.pause();
  }

  resume(h: Hosted): Result<{}> {
    return h.exh.resume();
  }

  /** The host ends the exhibition: unfinished games end as aborted. */
  end(h: Hosted): Result<{}> {
    return h.exh.abort();
  }

  /** A spectator came or went; the count they are shown. */
  spectated(h: Hosted, delta: 1 | -1): number {
    h.spectators = Math.max(0, h.spectators + delta);
    return h.spectators;
  }

  kick(h: Hosted, table: number): Result<{}> {
    const result = h.exh.kick(table);
    if (result.ok && h.exh.status === 'open') {
      h.seatTokens.delete(table);
      h.seatAddresses.delete(table);
    }
    return result;
  }

  /** Several kicks at once; refused only when none of them could be done. */
  kickMany(h: Hosted, tables: number[]): Result<{ removed: number[] }> {
    const removed: number[] = [];
    let refusal: Result<{}> | null = null;
    // from the last table down, so freeing a seat before the start renumbers none still to come
    for (const table of [...new Set(tables)].sort((a, b) => b - a)) {
      const result = this.kick(h, table);
      if (result.ok) removed.push(table);
      else refusal ??= result;
    }
    if (removed.length === 0 && refusal && !refusal.ok) return refusal;
    return { ok: true, removed: removed.sort((a, b) => a - b) };
  }

  configure(h: Hosted, patch: ExhibitionConfigPatch): Result<{ config: ExhibitionConfig }> {
    if (h.exh.status !== 'open') return fail('WRONG_STATE', 'The settings can only change before the start.');
    const parsed = exhibitionConfigSchema.safeParse({ ...h.exh.config, ...patch });
    if (!parsed.success) return fail('BAD_REQUEST', parsed.error.issues.map((i) => i.message).join('; '));
    const replaced = h.exh.reconfigure(parsed.data);
    if (!replaced.ok) return replaced;
    return { ok: true, config: h.exh.config };
  }

  connected(h: Hosted, table: number, delta: 1 | -1): void {
    h.connections.set(table, Math.max(0, (h.connections.get(table) ?? 0) + delta));
    this.noteIdle(h);
  }

  hostConnected(h: Hosted, delta: 1 | -1): void {
    h.hostConnections = Math.max(0, h.hostConnections + delta);
    this.noteIdle(h);
  }

  timeline(h: Hosted): Timeline {
    const { exh } = h;
    return {
      id: exh.id,
      startedAt: exh.startedAt,
      serverNow: this.deps.clock.now(),
      lanes: exh.boards.map((b) => ({ table: b.table, opponent: b.opponent, moves: b.moves })),
    };
  }

  detail(board: Board): BoardDetail {
    return { ...board.summary(), startFen: board.startFen, moves: board.moves };
  }

  /** Stops every Judit and engine: the server is going down. */
  async close(): Promise<void> {
    this.sweeping.abort();
    for (const h of this.hosted.values()) this.dismissJudit(h);
    await Promise.all([...this.hosted.values()].map((h) => this.releaseBrain(h)));
    this.deps.store.close();
  }

  // ── internals ──────────────────────────────────────────────────────────

  private noteIdle(h: Hosted): void {
    let present = h.hostConnections;
    for (const n of h.connections.values()) present += n;
    if (present > 0) h.idleSince = null;
    else h.idleSince ??= this.deps.clock.now();
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
      for (const h of this.hosted.values()) {
        if (h.idleSince === null || now - h.idleSince < abandonMs) continue;
        if (h.exh.status === 'finished' || h.exh.status === 'aborted') continue;
        if (h === this.houseHosted && h.exh.boards.length === 0) continue; // the house waits for its first player
        log.info({ exhibition: h.exh.id, idleMinutes: Math.round((now - h.idleSince) / 60_000) }, 'exhibition abandoned');
        h.exh.abort('abandoned');
      }
    }
  }

  /** The table whose seat `token` opens; the table the command names is tried first (one hash). */
  private tableOf(h: Hosted, token: string, claimed?: number): number | null {
    const hash = claimed === undefined ? undefined : h.seatTokens.get(claimed);
    if (claimed !== undefined && hash && secretMatches(token, hash)) return claimed;
    const presented = hashSecret(token);
    for (const [table, stored] of h.seatTokens) if (stored === presented) return table;
    return null;
  }

  private granted(h: Hosted, table: number, token: string): Result<SeatGranted> {
    const board = h.exh.board(table);
    if (!board) return fail('NOT_FOUND', 'No such seat.') as Failure;
    return { ok: true, table, token, board: this.detail(board), snapshot: this.snapshot(h) };
  }

  private onEvent(h: Hosted, event: ExhibitionEvent): void {
    this.persist(h, event); // on disk before anyone is told
    if (event.type === 'status') this.onStatus(h, event.status);
    if (event.type === 'gameOver') {
      this.deps.log.info({ exhibition: h.exh.id, table: event.table, result: event.end.result, reason: event.end.reason }, 'game over');
    }
    for (const listener of this.listeners) listener(h, event);
    if (event.type === 'status' && (event.status === 'finished' || event.status === 'aborted')) this.retire(h);
    if (h === this.houseHosted && (event.type === 'seat' || event.type === 'status')) {
      if (event.type === 'seat') this.onHouseSeat(h);
      this.openHouse();
    }
  }

  /** An ended exhibition leaves memory: its summary stays in the lobby, the rest is on disk. */
  private retire(h: Hosted): void {
    const id = h.exh.id;
    this.hosted.delete(id);
    this.ended.set(id, this.summary(h));
    if (this.ended.size > RECENT_RESULTS) {
      // the oldest created goes: the lobby lists the recent results
      const oldest = [...this.ended.values()].reduce((a, b) => (b.createdAt < a.createdAt ? b : a));
      this.ended.delete(oldest.id);
    }
    this.remember(h); // those on its page ask for it again in a moment
  }

  private loadEnded(id: string): Hosted | undefined {
    if (this.damaged.has(id)) return undefined;
    const loaded = this.deps.store.load(id);
    const revived = loaded && this.revive(loaded);
    if (!revived || (revived.exh.status !== 'finished' && revived.exh.status !== 'aborted')) return undefined;
    const h = this.host(revived.exh, revived.stored.hostKeyHash, revived.stored.seatTokens);
    this.remember(h);
    return h;
  }

  private remember(h: Hosted): void {
    this.loaded.delete(h.exh.id);
    this.loaded.set(h.exh.id, h);
    if (this.loaded.size > LOADED_ENDED) this.loaded.delete(this.loaded.keys().next().value!);
  }

  private persist(h: Hosted, event: ExhibitionEvent): void {
    const { store } = this.deps;
    const { exh } = h;
    const saveBoard = (table: number) => {
      const board = exh.board(table);
      if (board) store.saveBoard(exh.id, board.state());
    };
    switch (event.type) {
      case 'status':
        if (event.status !== 'running') return store.saveHeader(exh.id, exh.header());
        // a resume moves every board's turn past the pause: a restart must find them moved
        return store.transaction(() => {
          store.saveHeader(exh.id, exh.header());
          for (const b of exh.boards) store.saveBoard(exh.id, b.state());
        });
      case 'judit':
        return store.saveHeader(exh.id, exh.header());
      case 'config':
        return store.transaction(() => {
          store.saveHeader(exh.id, exh.header());
          for (const b of exh.boards) store.saveBoard(exh.id, b.state());
        });
      case 'seat': {
        const board = exh.board(event.table);
        if (event.opponent === null || !board) return store.removeBoard(exh.id, event.table);
        return store.saveBoard(exh.id, board.state(), h.issuingTokenHash ?? undefined);
      }
      case 'move':
        return store.transaction(() => {
          store.appendMove(exh.id, event.table, event.move);
          saveBoard(event.table);
          store.saveHeader(exh.id, exh.header());
        });
      case 'gameOver':
        return store.transaction(() => {
          saveBoard(event.table);
          store.saveHeader(exh.id, exh.header());
        });
      case 'drawOffer':
      case 'pass':
        return saveBoard(event.table);
      case 'stats':
        return;
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
  }

  private onStatus(h: Hosted, status: Exhibition['status']): void {
    this.deps.log.info({ exhibition: h.exh.id, status }, 'exhibition status');
    if (status === 'running' && !h.stopJudit) void this.employJudit(h);
    if (status === 'finished' || status === 'aborted') {
      this.dismissJudit(h);
      void this.releaseBrain(h);
    }
  }

  private brainFor(h: Hosted): Promise<Brain> {
    h.brain ??= this.deps.createBrain().catch((error: unknown) => {
      h.brain = null; // the next start or resume tries again
      throw error;
    });
    return h.brain;
  }

  private async releaseBrain(h: Hosted): Promise<void> {
    const brain = h.brain;
    h.brain = null;
    await brain?.then((b) => b.close(), () => {});
  }

  /** Judit's loop runs whenever the exhibition does; without a brain the exhibition waits paused. */
  private async employJudit(h: Hosted): Promise<void> {
    const { clock, log } = this.deps;
    let brain: Brain;
    try {
      brain = await this.brainFor(h);
    } catch (error) {
      log.error({ exhibition: h.exh.id, err: error }, 'Judit’s engine could not start; the exhibition is paused');
      if (h.exh.status === 'running') h.exh.pause();
      return;
    }
    if (h.exh.status !== 'running' || h.stopJudit) return;
    const onEngineFailure = (table: number, error: unknown) =>
      log.error({ exhibition: h.exh.id, table, err: error }, 'Judit’s engine failed twice at this table; the game ends unfinished');
    h.stopJudit = employJudit(h.exh, { clock, brain, onEngineFailure }, (error) => {
      log.error({ exhibition: h.exh.id, err: error }, 'Judit stopped on an error; she will be back');
      // the loop ended on a fault the brain's own restarts did not cure: try again shortly with a
      // brain of its own, and if none can be had the exhibition waits paused, as at its start
      void clock.sleep(1000).then(async () => {
        if (h.exh.status === 'running' && h.stopJudit) {
          this.dismissJudit(h);
          await this.releaseBrain(h);
          void this.employJudit(h);
        }
      });
    });
  }

  private dismissJudit(h: Hosted): void {
    h.stopJudit?.();
    h.stopJudit = null;
  }
}
