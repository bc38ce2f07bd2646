/**
 * One exhibition as this browser knows it: a snapshot kept current by the server's broadcasts.
 * The one place that knows what each broadcast means: it brings the state up to date, then tells
 * the pages that something changed; they draw themselves from the state, whatever the change was.
 */
import { juditColorAt, startingBoard } from '../../shared/chess.js';
import { clockLeft, initialClocks } from '../../shared/clocks.js';
import type { ExhibitionConfig } from '../../shared/config.js';
import type { BoardSummary, Eta, JuditWhereabouts, MoveRecord, ResultsTally, Side } from '../../shared/domain.js';
import { etaOf } from '../../shared/eta.js';
import { giverName, giverOf } from '../../shared/givers.js';
import type { BoardDetail, ExhibitionSnapshot, SeatInfo } from '../../shared/protocol.js';
import { tallyResults } from '../../shared/results.js';
import { Lanes } from './lanes.js';
import type { FeedCommand } from '../../shared/feed.js';
import type { Link } from './link.js';
import { socketLink } from './net.js';
import { serverNow, syncServerTime } from './servertime.js';

export class LiveExhibition {
  snapshot: ExhibitionSnapshot;
  /**
   * Boards by table, the single copy: the snapshot's list is replaced by this map. A board that
   * changes is a new object, never patched in place: a view compares them to see what changed.
   */
  readonly boards = new Map<number, BoardSummary>();
  /** The host's seat list (connected flags); empty unless the host console asked for it. */
  seats: SeatInfo[] = [];
  /** When the status last changed, on the server's clock; null when not seen (a fresh snapshot). */
  statusAt: number | null = null;
  /** Every move, in order, of the tables a page follows move by move (a player's own board). */
  private readonly followed = new Map<number, MoveRecord[]>();
  /** Followed tables whose moves came with a gap: the page loads the whole board again. */
  readonly gapped = new Set<number>();
  /** Judit's timeline move by move, for the pages that show the lesson; null until one asks. */
  private lanes: Lanes | null = null;
  /** Moves went missing from the lanes (a gap, a reconnection): the whole timeline is loaded again. */
  lanesStale = false;
  /** How many draw offers Judit has declined, by table, since this page opened. */
  readonly drawsDeclined = new Map<number, number>();
  private readonly listeners = new Set<() => void>();
  private readonly stop: (() => void)[];

  constructor(
    readonly id: string,
    snapshot: ExhibitionSnapshot,
    /** The connection its broadcasts come over: the spectators' feed on the watch page, socket.io elsewhere. */
    readonly link: Link<FeedCommand> = socketLink,
  ) {
    this.snapshot = snapshot;
    this.adopt(snapshot);
    const mine = (msg: { id: string }) => msg.id === this.id;
    const listen = link.listen.bind(link);
    this.stop = [
      listen('exhibition:status', (msg) => {
        if (!mine(msg)) return;
        const s = this.snapshot;
        s.status = msg.status;
        this.statusAt = msg.at;
        if (msg.status === 'running' && s.startedAt === null) {
          s.startedAt = msg.at;
          // the start gives every board its first turn: a per-move limit counts from it
          for (const b of this.boards.values()) this.boards.set(b.table, { ...b, turnSince: msg.at });
        } else if (msg.status === 'running' && s.pausedAt !== null) {
          // as on the server, the pause counts against no one's clock
          const paused = msg.at - s.pausedAt;
          for (const b of this.boards.values()) if (!b.end) this.boards.set(b.table, { ...b, turnSince: b.turnSince + paused });
        }
        s.pausedAt = msg.status === 'paused' ? msg.at : null;
        if (msg.status === 'finished' || msg.status === 'aborted') s.finishedAt = msg.at;
        if (s.startedAt !== null) this.lanes?.start(s.startedAt);
        this.changed();
      }),
      listen('exhibition:config', (msg) => {
        if (!mine(msg)) return;
        this.snapshot.config = msg.config;
        // as many givers as the settings now say, the new ones standing idle as on the server
        const givers = this.snapshot.givers;
        this.snapshot.givers = Array.from({ length: msg.config.givers }, (_, i) => givers[i] ?? { table: null, activity: 'idle', since: 0 });
        if (this.snapshot.status === 'open') {
          const setting = msg.config.juditColor;
          for (const b of this.boards.values()) {
            // a player who chose their colour keeps it
            const juditColor = setting === 'choose' ? b.juditColor : juditColorAt(setting, b.table, this.id);
            this.boards.set(b.table, { ...b, juditColor, clocks: initialClocks(msg.config.clock) });
          }
        }
        this.changed();
      }),
      listen('board:update', (msg) => {
        if (!mine(msg)) return;
        const known = this.boards.get(msg.board.table);
        if (known && known.ply > msg.board.ply) return; // older than what we hold
        this.boards.set(msg.board.table, msg.board);
        this.changed();
      }),
      listen('seat:update', (msg) => {
        if (!mine(msg)) return;
        if (msg.opponent === null) this.boards.delete(msg.table);
        else if (!this.boards.has(msg.table) && msg.juditColor) {
          const since = this.snapshot.startedAt === null ? 0 : serverNow(); // a latecomer's game starts as they sit
          this.boards.set(msg.table, startingBoard(msg.table, msg.opponent, msg.juditColor, since, initialClocks(this.snapshot.config.clock)));
        }
        this.changed();
      }),
      listen('board:move', (msg) => {
        if (!mine(msg)) return;
        this.record(msg.table, msg.move);
        if (this.lanes && !this.lanes.add(msg.table, msg.move)) this.lanesStale = true;
        this.changed();
      }),
      listen('judit:update', (msg) => {
        if (!mine(msg)) return;
        // a new list: a view compares it to see that a giver moved
        const givers = [...this.snapshot.givers];
        givers[msg.giver] = msg.judit;
        this.snapshot.givers = givers;
        this.changed();
      }),
      listen('exhibition:stats', (msg) => {
        if (!mine(msg)) return;
        syncServerTime(msg.stats.now);
        this.snapshot.stats = msg.stats;
        this.changed();
      }),
      listen('exhibition:spectators', (msg) => {
        if (!mine(msg)) return;
        this.snapshot.spectators = msg.count;
        this.changed();
      }),
      listen('draw:declined', (msg) => {
        if (!mine(msg)) return;
        this.drawsDeclined.set(msg.table, (this.drawsDeclined.get(msg.table) ?? 0) + 1);
        this.changed();
      }),
      listen('host:seats', (msg) => {
        if (!mine(msg)) return;
        this.seats = msg.seats;
        this.changed();
      }),
    ];
  }

  /** A fresh snapshot after (re)joining: replaces everything. */
  reset(snapshot: ExhibitionSnapshot): void {
    this.snapshot = snapshot;
    this.statusAt = null;
    this.adopt(snapshot);
    if (this.lanes) this.lanesStale = true; // moves may have been missed meanwhile
    this.changed();
  }

  /** Milliseconds left on `side`'s clock at `board`, ticking while the exhibition runs; null without clocks. */
  clockLeft(board: BoardSummary, side: Side): number | null {
    const s = this.snapshot;
    const at = s.status === 'running' ? serverNow() : s.status === 'paused' ? (s.pausedAt ?? serverNow()) : board.turnSince;
    return clockLeft(board, side, at);
  }

  get status(): ExhibitionSnapshot['status'] {
    return this.snapshot.status;
  }

  get config(): ExhibitionConfig {
    return this.snapshot.config;
  }

  /** The giver who walks `table`: 0 is Judit. */
  giverOf(table: number): number {
    return giverOf(table, this.config.boards, this.config.givers);
  }

  /** Where the giver of `table` is. */
  giverAt(table: number): JuditWhereabouts {
    return this.snapshot.givers[this.giverOf(table)] ?? this.snapshot.givers[0];
  }

  /** The name of the giver who walks `table`. */
  giverNameAt(table: number): string {
    return giverName(this.giverOf(table));
  }

  /** When the giver of `table` reaches it at the latest, as of `now`: worked out here as on the server. */
  etaOf(table: number, now = serverNow()): Eta | null {
    const s = this.snapshot;
    return etaOf({ status: s.status, config: s.config, givers: s.givers, boards: this.boardList() }, table, now);
  }

  /** Boards in table order. */
  boardList(): BoardSummary[] {
    return [...this.boards.values()].sort((a, b) => a.table - b.table);
  }

  /** Judit's results so far, from the boards' endings: changes the moment a game ends. */
  tally(): ResultsTally {
    return tallyResults([...this.boards.values()].map((b) => b.end));
  }

  /** Keeps Judit's timeline from now on (the page loads it whole, then it follows every move). */
  keepLanes(): Lanes {
    if (!this.lanes) {
      this.lanes = new Lanes();
      this.lanesStale = true;
    }
    return this.lanes;
  }

  /** Keeps every move of `table` from now on, starting from `moves` (the whole game so far). */
  follow(table: number, moves: readonly MoveRecord[]): void {
    this.followed.set(table, [...moves]);
    this.gapped.delete(table);
  }

  unfollow(table: number): void {
    this.followed.delete(table);
    this.gapped.delete(table);
  }

  /** A whole board as the server sent it on request: its moves followed from now on. */
  opened(board: BoardDetail): void {
    this.follow(board.table, board.moves);
    const known = this.boards.get(board.table);
    if (!known || known.ply <= board.ply) this.boards.set(board.table, board);
  }

  /** The moves of a followed table; empty for a table not followed. */
  movesOf(table: number): readonly MoveRecord[] {
    return this.followed.get(table) ?? [];
  }

  /** A move of a followed table (from a broadcast or a reply): moves already held are ignored. */
  record(table: number, move: MoveRecord): void {
    const moves = this.followed.get(table);
    if (!moves || move.ply <= moves.length) return;
    if (move.ply === moves.length + 1) moves.push(move);
    else this.gapped.add(table);
  }

  /** `listener` runs after every change, the state already brought up to date: draw from it. */
  on(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    for (const stop of this.stop) stop();
    this.listeners.clear();
  }

  private adopt(snapshot: ExhibitionSnapshot): void {
    syncServerTime(snapshot.serverNow);
    this.boards.clear();
    for (const b of snapshot.boards) this.boards.set(b.table, b);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
