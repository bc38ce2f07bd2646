import type { ExhibitionConfig } from '../../shared/config.js';
import { juditColorAt } from '../../shared/chess.js';
import { giverOf } from '../../shared/givers.js';
import { initialClocks } from '../../shared/clocks.js';
import type {
  BoardSummary,
  Color,
  ExhibitionStats,
  ExhibitionStatus,
  GameEnd,
  JuditActivity,
  JuditWhereabouts,
  MoveRecord,
  Side,
  StopReason,
} from '../../shared/domain.js';
import { fail, type Failure, type Result } from '../../shared/errors.js';
import { sameName } from '../../shared/names.js';
import type { ExhibitionEvent } from '../../shared/events.js';
import { Board } from './board.js';
import { type ExhibitionHeader, type ExhibitionRecord, storedConfig, storedGivers, storedStoppedAs } from './record.js';
import { isSeating } from './summary.js';
import { computeStats } from './stats.js';

/** The one thing the core needs of time: reading it. Waiting is the loop's business. */
export interface TimeSource {
  now(): number;
}

type Found = { ok: true; board: Board } | Failure;

/**
 * One exhibition: seats, boards and lifecycle, changed only through the commands below. Every
 * command is applied whole or refused with a typed error leaving the state as it was. The domain
 * events a command causes (derived ones too: a game's end, the exhibition finishing) wait in an
 * outbox until its caller takes them: the core announces nothing itself. No IO and no timers: time
 * comes from `time`.
 */
export class Exhibition {
  status: ExhibitionStatus = 'open';
  /** Seated boards in table order. */
  readonly boards: Board[] = [];
  /** Where each giver is, Judit's first. */
  givers: JuditWhereabouts[];
  startedAt: number | null = null;
  finishedAt: number | null = null;
  /** Why the exhibition was aborted, once it was. */
  stoppedAs: StopReason | null = null;
  pausedAt: number | null = null;
  pausedMs = 0;
  /** Every giver's busy and walking time summed; `giverBusyMs` and `giverWalkMs` hold each one's. */
  juditBusyMs = 0;
  juditWalkMs = 0;
  giverBusyMs: number[];
  giverWalkMs: number[];
  engineLateMoves = 0;
  opponentThinkMs = 0;
  opponentMoves = 0;

  private endedGames = 0;
  /** The events of the commands applied since the caller last took them. */
  private outbox: ExhibitionEvent[] = [];
  /** The statistics changed since the events were last taken: one figure per command, not per change. */
  private statsChanged = false;
  private readonly waiters = new Set<() => void>();
  private runController = new AbortController();

  constructor(
    readonly id: string,
    public config: ExhibitionConfig,
    private readonly time: TimeSource,
    readonly createdAt: number = time.now(),
  ) {
    this.givers = [];
    this.giverBusyMs = [];
    this.giverWalkMs = [];
    this.fitGivers(createdAt);
    this.runController.abort(); // not running until started
  }

  // ── reading ────────────────────────────────────────────────────────────

  now(): number {
    return this.time.now();
  }

  /** Judit's whereabouts: the first giver's. */
  get judit(): JuditWhereabouts {
    return this.givers[0];
  }

  /** The giver who walks `table`. */
  giverOf(table: number): number {
    return giverOf(table, this.config.boards, this.config.givers);
  }

  /** The seated boards of giver `giver`'s section, in table order. */
  section(giver: number): readonly Board[] {
    if (this.config.givers === 1) return giver === 0 ? this.boards : [];
    return this.boards.filter((b) => this.giverOf(b.table) === giver);
  }

  board(table: number): Board | undefined {
    return this.boards.find((b) => b.table === table);
  }

  get openGames(): number {
    return this.boards.length - this.endedGames;
  }

  /** Aborted whenever the exhibition stops running (pause, finish, abort). */
  get runSignal(): AbortSignal {
    return this.runController.signal;
  }

  stats(now = this.now()): ExhibitionStats {
    return computeStats(this, now);
  }

  summaries(): BoardSummary[] {
    return this.boards.map((b) => b.summary());
  }

  /** The events of every command applied since the last call, in order, the statistics last. */
  takeEvents(): ExhibitionEvent[] {
    if (this.statsChanged) this.outbox.push({ type: 'stats', stats: this.stats() });
    this.statsChanged = false;
    const events = this.outbox;
    this.outbox = [];
    return events;
  }

  /**
   * Resolves at the next move (either side's: a move sets another clock running), seat, draw offer,
   * ending or status change, or when `signal` aborts.
   */
  acted(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const wake = () => {
        this.waiters.delete(wake);
        signal.removeEventListener('abort', wake);
        resolve();
      };
      this.waiters.add(wake);
      signal.addEventListener('abort', wake, { once: true });
    });
  }

  /** The earliest moment an opponent's per-move limit runs out or a flag falls, or null. */
  nextDeadline(): number | null {
    let earliest: number | null = null;
    for (const b of this.boards) {
      const at = this.deadlineOf(b);
      if (at !== null && (earliest === null || at < earliest)) earliest = at;
    }
    return earliest;
  }

  // ── records (for a store) ─────────────────────────────────────────────

  header(): ExhibitionHeader {
    return {
      config: this.config,
      status: this.status,
      startedAt: this.startedAt,
      finishedAt: this.finishedAt,
      pausedAt: this.pausedAt,
      pausedMs: this.pausedMs,
      juditBusyMs: this.juditBusyMs,
      juditWalkMs: this.juditWalkMs,
      engineLateMoves: this.engineLateMoves,
      opponentThinkMs: this.opponentThinkMs,
      opponentMoves: this.opponentMoves,
      givers: this.givers,
      giverBusyMs: this.giverBusyMs,
      giverWalkMs: this.giverWalkMs,
      stoppedAs: this.stoppedAs,
      savedAt: this.now(),
    };
  }

  /**
   * An exhibition as a store kept it. One that was running when the server stopped comes back
   * paused since the last thing it wrote, so the time the server was down counts against no one;
   * resuming it carries on where Judit stopped.
   */
  static restore(record: ExhibitionRecord, time: TimeSource): Exhibition {
    const { header } = record;
    const exh = new Exhibition(record.id, storedConfig(header), time, record.createdAt);
    for (const b of record.boards) exh.boards.push(Board.restore(b.state, b.moves));
    exh.boards.sort((a, b) => a.table - b.table);
    exh.endedGames = exh.boards.filter((b) => b.over).length;
    exh.startedAt = header.startedAt;
    exh.finishedAt = header.finishedAt;
    exh.pausedMs = header.pausedMs;
    exh.juditBusyMs = header.juditBusyMs;
    exh.juditWalkMs = header.juditWalkMs;
    exh.engineLateMoves = header.engineLateMoves ?? 0;
    exh.opponentThinkMs = header.opponentThinkMs;
    exh.opponentMoves = header.opponentMoves;
    // headers written before there were several givers kept Judit's alone
    exh.givers = storedGivers(header);
    exh.giverBusyMs = header.giverBusyMs ?? [header.juditBusyMs];
    exh.giverWalkMs = header.giverWalkMs ?? [header.juditWalkMs];
    exh.fitGivers(exh.judit.since);
    exh.stoppedAs = storedStoppedAs(header);
    if (header.status === 'running') {
      exh.status = 'paused';
      exh.pausedAt = header.savedAt;
    } else {
      exh.status = header.status;
      exh.pausedAt = header.pausedAt;
    }
    return exh;
  }

  // ── host commands ──────────────────────────────────────────────────────

  /** True while a seat may be taken: before the start, or while it runs when latecomers are admitted. */
  get seating(): boolean {
    return isSeating(this.status, this.config);
  }

  /** Whether `name` could take a seat now: seats open, one free, the name not taken. */
  canSeat(name: string): Result<{}> {
    if (!this.seating) return fail('WRONG_STATE', 'Seats can only be taken before the start.');
    if (this.boards.length >= this.config.boards) return fail('EXHIBITION_FULL', 'Every board is taken.');
    const opponent = name.trim();
    if (!opponent) return fail('BAD_REQUEST', 'A name is needed to take a seat.');
    // a lookalike (another case, full-width letters, an invisible character) is the same name
    if (this.boards.some((b) => sameName(b.opponent, opponent))) {
      return fail('NAME_TAKEN', `Someone called ${opponent} already has a seat.`);
    }
    return { ok: true };
  }

  /** A seat for `name`; `pick` is the colour they chose, heeded when the players choose. */
  takeSeat(name: string, pick: Color | null = null): Result<{ table: number }> {
    const can = this.canSeat(name);
    if (!can.ok) return can;
    const opponent = name.trim();
    let table = 1;
    for (const b of this.boards) if (b.table === table) table++;
    const board = this.newBoard(table, opponent, juditColorAt(this.config.juditColor, table, this.id, pick));
    this.boards.splice(table - 1, 0, board);
    if (this.status !== 'open') board.turnSince = this.now(); // a latecomer's game starts as they sit
    this.emit({ type: 'seat', table, opponent, juditColor: board.juditColor });
    this.wakeWaiters(); // a resting Judit has a new table to visit
    return { ok: true, table };
  }

  /** Before the start the seat is freed; during play the opponent forfeits the game. */
  kick(table: number): Result<{}> {
    const board = this.board(table);
    if (!board) return fail('NOT_FOUND', `There is no opponent at table ${table}.`);
    if (this.status === 'open') {
      this.boards.splice(this.boards.indexOf(board), 1);
      this.emit({ type: 'seat', table, opponent: null, juditColor: null });
      return { ok: true };
    }
    if (!this.active) return fail('WRONG_STATE', `The exhibition is ${this.status}.`);
    if (board.over) return fail('GAME_OVER', `The game at table ${table} is over.`);
    this.finishGame(board, board.endFor('judit', 'kicked', this.now()));
    return { ok: true };
  }

  /** New settings before the start; seated opponents keep their tables. */
  reconfigure(config: ExhibitionConfig): Result<{}> {
    if (this.status !== 'open') return fail('WRONG_STATE', 'The settings can only change before the start.');
    if (config.boards < this.boards.length) return fail('BAD_REQUEST', `${this.boards.length} seats are taken already.`);
    this.config = config;
    this.fitGivers(this.now());
    this.boards.forEach((b, i) => {
      // a player who chose their colour keeps it
      const color = config.juditColor === 'choose' ? b.juditColor : juditColorAt(config.juditColor, b.table, this.id);
      this.boards[i] = this.newBoard(b.table, b.opponent, color);
    });
    this.emit({ type: 'config', config });
    return { ok: true };
  }

  start(): Result<{}> {
    if (this.status !== 'open') return fail('WRONG_STATE', `The exhibition is ${this.status}.`);
    if (this.boards.length === 0) return fail('WRONG_STATE', 'Nobody has taken a seat yet.');
    const now = this.now();
    this.startedAt = now;
    for (const b of this.boards) b.turnSince = now;
    this.setStatus('running');
    return { ok: true };
  }

  pause(): Result<{}> {
    if (this.status !== 'running') return fail('WRONG_STATE', `The exhibition is ${this.status}.`);
    this.pausedAt = this.now();
    this.setStatus('paused');
    return { ok: true };
  }

  resume(): Result<{}> {
    if (this.status !== 'paused' || this.pausedAt === null) {
      return fail('WRONG_STATE', `The exhibition is ${this.status}.`);
    }
    // the pause does not count against anyone's thinking time or move limit
    const paused = this.now() - this.pausedAt;
    this.pausedMs += paused;
    this.pausedAt = null;
    for (const b of this.boards) if (!b.over) b.turnSince += paused;
    this.setStatus('running');
    return { ok: true };
  }

  /** Stops the exhibition for good; unfinished games stay unfinished (`*`), ended for `why`. */
  abort(why: StopReason = 'aborted'): Result<{}> {
    if (this.status === 'finished' || this.status === 'aborted') {
      return fail('WRONG_STATE', `The exhibition is ${this.status}.`);
    }
    const now = this.now();
    for (const b of this.boards) {
      if (b.over) continue;
      const end: GameEnd = { result: '*', reason: why, winner: null, at: now };
      b.finish(end, this.pausedAt ?? now);
      this.endedGames++;
      b.drawOffered = false;
      this.emit({ type: 'gameOver', table: b.table, end, board: b.summary() });
    }
    this.finishedAt = now;
    this.stoppedAs = why;
    this.setStatus('aborted');
    return { ok: true };
  }

  /** The arbiter's decision on one unfinished game. */
  adjudicate(table: number, winner: Side | null): Result<{}> {
    const board = this.playable(table);
    if (!board.ok) return board;
    this.finishGame(board.board, board.board.endFor(winner, 'adjudication', this.now()));
    return { ok: true };
  }

  // ── opponent commands ──────────────────────────────────────────────────

  /**
   * The opponent's move at `table`, made from position `ply` (the number of moves they saw). A retry
   * of a move already accepted is answered with that move again, never applied twice.
   */
  move(table: number, ply: number, uci: string): Result<{ move: MoveRecord; duplicate: boolean }> {
    const found = this.playable(table);
    if (!found.ok) {
      const repeat = this.repeated(table, ply, uci);
      return repeat ?? found;
    }
    const board = found.board;
    if (ply !== board.ply) {
      return this.repeated(table, ply, uci) ?? fail('STALE_PLY', `The board is at move ${board.ply}, not ${ply}.`);
    }
    if (!board.opponentToMove) return fail('NOT_YOUR_TURN', 'It is Judit’s move.');
    if (this.status !== 'running') return fail('WRONG_STATE', `The exhibition is ${this.status}.`);
    const now = this.now();
    // at the deadline itself the time is up, as when Judit's loop forfeits it (forfeitOverdue)
    if (this.timeUp(board, now)) {
      return fail('GAME_OVER', board.end?.reason === 'flag' ? 'Your flag fell: the game is lost on time.' : 'Your time for this move ran out: the game is forfeited.');
    }
    const record = board.play(uci, board.turnSince, now, this.incrementMs());
    if (!record) return fail('ILLEGAL_MOVE', `${uci} is not a legal move here.`);
    this.opponentThinkMs += record.movedAt - record.readyAt;
    this.opponentMoves++;
    this.afterMove(board, record);
    return { ok: true, move: record, duplicate: false };
  }

  resign(table: number): Result<{}> {
    const found = this.playable(table);
    if (!found.ok) return found;
    this.finishGame(found.board, found.board.endFor('judit', 'resignation', this.now()));
    return { ok: true };
  }

  offerDraw(table: number): Result<{}> {
    const found = this.playable(table);
    if (!found.ok) return found;
    if (this.status !== 'running') return fail('WRONG_STATE', `The exhibition is ${this.status}.`);
    if (!found.board.drawOffered) {
      found.board.drawOffered = true;
      this.emit({ type: 'drawOffer', table, state: 'offered' });
      this.wakeWaiters();
    }
    return { ok: true };
  }

  // ── Judit's commands (issued by her loop) ──────────────────────────────

  /** Where giver `giver` is and what she does; only while the exhibition runs (a stopped loop changes nothing). */
  juditAt(table: number | null, activity: JuditActivity, giver = 0): Result<{}> {
    if (this.status !== 'running') return fail('WRONG_STATE', `The exhibition is ${this.status}.`);
    if (!this.givers[giver]) return fail('NOT_FOUND', `There is no giver ${giver + 1}.`);
    this.placeJudit(giver, table, activity);
    return { ok: true };
  }

  juditWalked(ms: number, giver = 0): Result<{}> {
    if (this.status !== 'running') return fail('WRONG_STATE', `The exhibition is ${this.status}.`);
    if (!this.givers[giver]) return fail('NOT_FOUND', `There is no giver ${giver + 1}.`);
    this.juditWalkMs += ms;
    this.giverWalkMs[giver] += ms;
    return { ok: true };
  }

  /** Her move came from a search cut short at her think time: the engines were all busy. */
  juditEngineLate(): Result<{}> {
    if (this.status !== 'running') return fail('WRONG_STATE', `The exhibition is ${this.status}.`);
    this.engineLateMoves++;
    return { ok: true };
  }

  /** Judit's move, thought about since `startedAt` from position `ply`. */
  juditMove(table: number, ply: number, uci: string, startedAt: number): Result<{ move: MoveRecord }> {
    const found = this.juditsTurn(table, ply);
    if (!found.ok) return found;
    const board = found.board;
    if (this.timeUp(board, this.now())) return fail('GAME_OVER', `Judit’s flag fell at table ${table}.`);
    const record = board.play(uci, startedAt, this.now(), this.incrementMs());
    if (!record) return fail('ILLEGAL_MOVE', `${uci} is not a legal move here.`);
    this.addBusy(table, record.movedAt - startedAt);
    this.afterMove(board, record);
    return { ok: true, move: record };
  }

  /** Judit's answer to a pending draw offer, after thinking since `startedAt`. */
  answerDraw(table: number, accept: boolean, startedAt: number): Result<{}> {
    if (this.status !== 'running') return fail('WRONG_STATE', `The exhibition is ${this.status}.`);
    const board = this.board(table);
    if (!board || board.over || !board.drawOffered) return fail('WRONG_STATE', 'No draw offer is pending.');
    const now = this.now();
    if (accept) {
      // a declined offer's thinking is counted with the move (or resignation) that follows it
      this.addBusy(table, now - startedAt);
      this.finishGame(board, board.endFor(null, 'agreement', now));
    } else {
      board.drawOffered = false;
      this.emit({ type: 'drawOffer', table, state: 'declined' });
    }
    return { ok: true };
  }

  juditResign(table: number, ply: number, startedAt: number): Result<{}> {
    const found = this.juditsTurn(table, ply);
    if (!found.ok) return found;
    const now = this.now();
    this.addBusy(table, now - startedAt);
    this.finishGame(found.board, found.board.endFor('opponent', 'resignation', now));
    return { ok: true };
  }

  /** Judit's engine failed at `table` in position `ply`, even from a fresh start: the game ends unfinished. */
  juditFailed(table: number, ply: number): Result<{}> {
    const found = this.juditsTurn(table, ply);
    if (!found.ok) return found;
    this.finishGame(found.board, { result: '*', reason: 'engineFailure', winner: null, at: this.now() });
    return { ok: true };
  }

  /** Judit found the opponent at `table` not ready; too many passes forfeit the game. */
  pass(table: number): Result<{}> {
    if (this.status !== 'running') return fail('WRONG_STATE', `The exhibition is ${this.status}.`);
    const board = this.board(table);
    if (!board || !board.opponentToMove) return fail('WRONG_STATE', `No opponent to pass at table ${table}.`);
    board.passes++;
    this.emit({ type: 'pass', table, board: board.summary() });
    const max = this.config.maxPasses;
    if (max !== null && board.passes > max) {
      this.finishGame(board, board.endFor('judit', 'forfeitPasses', this.now()));
    }
    return { ok: true };
  }

  /** Ends every game whose opponent is past the per-move limit or whose side to move has flagged. */
  forfeitOverdue(): number {
    if (this.status !== 'running') return 0; // a pause stops every clock
    const now = this.now();
    let count = 0;
    for (const b of this.boards) if (this.timeUp(b, now)) count++;
    return count;
  }

  /** Counts a hopeless evaluation of Judit's at `table` (or resets the count); says whether she should resign now. */
  countHopeless(table: number, evalCp: number): Result<{ resign: boolean }> {
    const board = this.board(table);
    if (!board) return fail('NOT_FOUND', `There is no board ${table}.`);
    const threshold = this.config.resignCp;
    if (threshold === null) return { ok: true, resign: false };
    board.hopelessMoves = evalCp <= -threshold ? board.hopelessMoves + 1 : 0;
    return { ok: true, resign: board.hopelessMoves >= this.config.resignAfterMoves };
  }

  // ── internals ──────────────────────────────────────────────────────────

  private get active(): boolean {
    return this.status === 'running' || this.status === 'paused';
  }

  private moveLimitMs(): number | null {
    const s = this.config.opponentMoveLimitSeconds;
    return s === null ? null : s * 1000;
  }

  private incrementMs(): number {
    return (this.config.clock?.incrementSeconds ?? 0) * 1000;
  }

  /** A board as it is seated: with full clocks when the exhibition has them. */
  private newBoard(table: number, opponent: string, juditColor: Color): Board {
    const board = new Board(table, opponent, juditColor);
    board.clocks = initialClocks(this.config.clock);
    return board;
  }

  /** When the game at `board` is lost on time unless its side to move moves: a flag or the move limit. */
  private deadlineOf(board: Board): number | null {
    const flag = board.flagAt;
    const limit = this.moveLimitMs();
    const forfeit = limit !== null && board.opponentToMove ? board.turnSince + limit : null;
    if (forfeit === null || (flag !== null && flag <= forfeit)) return flag;
    return forfeit;
  }

  /** Ends the game at `board` if its side to move is out of time at `now`, at the instant it ran out. */
  private timeUp(board: Board, now: number): boolean {
    const at = this.deadlineOf(board);
    if (at === null || now < at) return false;
    const loser = board.sideToMove;
    const winner = loser === 'judit' ? 'opponent' : 'judit';
    this.finishGame(board, board.endFor(winner, at === board.flagAt ? 'flag' : 'forfeitTime', at));
    return true;
  }

  private playable(table: number): Found {
    const board = this.board(table);
    if (!board) return fail('NOT_FOUND', `There is no board ${table}.`);
    if (board.over) return fail('GAME_OVER', `The game at table ${table} is over.`);
    if (!this.active) return fail('WRONG_STATE', `The exhibition is ${this.status}.`);
    return { ok: true, board };
  }

  /** An answer for a move that was already accepted at `ply`, if it is one. */
  private repeated(table: number, ply: number, uci: string): Result<{ move: MoveRecord; duplicate: boolean }> | null {
    const done = this.board(table)?.moves[ply];
    if (done && done.uci === uci && done.by === 'opponent') return { ok: true, move: done, duplicate: true };
    return null;
  }

  private juditsTurn(table: number, ply: number): Found {
    if (this.status !== 'running') return fail('WRONG_STATE', `The exhibition is ${this.status}.`);
    const board = this.board(table);
    if (!board) return fail('NOT_FOUND', `There is no board ${table}.`);
    if (board.over) return fail('GAME_OVER', `The game at table ${table} is over.`);
    if (ply !== board.ply) return fail('STALE_PLY', 'The position changed while Judit thought.');
    if (!board.juditToMove) return fail('NOT_YOUR_TURN', 'It is the opponent’s move.');
    return { ok: true, board };
  }

  private afterMove(board: Board, record: MoveRecord): void {
    this.emit({ type: 'move', table: board.table, move: record, board: board.summary() });
    const end = board.ruleEnd(record.movedAt);
    if (end) this.finishGame(board, end);
    else this.emitStats();
    this.wakeWaiters();
  }

  private finishGame(board: Board, end: GameEnd): void {
    board.finish(end, Math.min(end.at, this.pausedAt ?? end.at));
    board.drawOffered = false;
    this.endedGames++;
    this.emit({ type: 'gameOver', table: board.table, end, board: board.summary() });
    this.emitStats();
    this.wakeWaiters();
    if (this.openGames === 0) {
      this.finishedAt = this.now();
      this.setStatus('finished');
    }
  }

  private setStatus(status: ExhibitionStatus): void {
    this.status = status;
    if (status === 'running') this.runController = new AbortController();
    else this.runController.abort();
    const at = this.now();
    if ((status === 'finished' || status === 'aborted') && this.pausedAt !== null) {
      // ended during a pause: the pause up to the end is not playing time
      this.pausedMs += at - this.pausedAt;
      this.pausedAt = null;
    }
    this.wakeWaiters();
    this.emit({ type: 'status', status, at });
    if (status === 'finished' || status === 'aborted') this.givers.forEach((_, giver) => this.placeJudit(giver, null, 'idle'));
  }

  private placeJudit(giver: number, table: number | null, activity: JuditActivity): void {
    const judit = { table, activity, since: this.now() };
    this.givers[giver] = judit;
    this.emit({ type: 'judit', giver, judit });
  }

  /** Thinking time at `table`, to its giver and to the total. */
  private addBusy(table: number, ms: number): void {
    this.juditBusyMs += ms;
    this.giverBusyMs[this.giverOf(table)] += ms;
  }

  /** As many givers as the settings ask for: new ones stand idle with nothing counted yet. */
  private fitGivers(since: number): void {
    const k = this.config.givers;
    for (let g = this.givers.length; g < k; g++) this.givers.push({ table: null, activity: 'idle', since });
    for (let g = this.giverBusyMs.length; g < k; g++) this.giverBusyMs.push(0);
    for (let g = this.giverWalkMs.length; g < k; g++) this.giverWalkMs.push(0);
    this.givers.length = this.giverBusyMs.length = this.giverWalkMs.length = k;
  }

  private emitStats(): void {
    this.statsChanged = true;
  }

  private wakeWaiters(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private emit(event: ExhibitionEvent): void {
    this.outbox.push(event);
  }
}

