import { Chess } from 'chess.js';
import { parseUci, STANDARD_FEN } from '../../shared/chess.js';
import type { BoardClocks, BoardSummary, Color, EndReason, GameEnd, GameResult, MoveRecord, Side } from '../../shared/domain.js';
import { playUci, ruleEnding } from './raw-moves.js';
import type { BoardState } from './record.js';

/** What of a board's state changes as it is played (its moves aside). */
interface Changing {
  end: GameEnd | null;
  /** When the side to move got the move. */
  turnSince: number;
  /** Times Judit found this opponent not ready. */
  passes: number;
  /** An opponent's draw offer waiting for Judit's answer. */
  drawOffered: boolean;
  /** Judit's consecutive evaluations at or below the resignation threshold. */
  hopelessMoves: number;
  /** Time left on each side's clock (see BoardClocks); null without clocks; replaced, never changed in place. */
  clocks: BoardClocks | null;
}

/** Numbers every change of any board's state, so that no two changes, nor two boards, share a number. */
let changes = 0;

/** One table of the exhibition: its game, its opponent and the times of every move. */
export class Board {
  readonly chess: Chess;
  readonly moves: MoveRecord[] = [];
  private lastChange = ++changes;
  private readonly changing: Changing = { end: null, turnSince: 0, passes: 0, drawOffered: false, hopelessMoves: 0, clocks: null };

  constructor(
    readonly table: number,
    readonly opponent: string,
    readonly juditColor: Color,
    readonly startFen: string = STANDARD_FEN,
  ) {
    this.chess = new Chess(startFen);
  }

  /**
   * The number of this board's last change of state() (a new board has a new number): whoever
   * stored a state compares it with the number of then, rather than the states themselves.
   */
  get revision(): number {
    return this.lastChange;
  }

  get end(): GameEnd | null {
    return this.changing.end;
  }
  set end(end: GameEnd | null) {
    this.change('end', end);
  }
  get turnSince(): number {
    return this.changing.turnSince;
  }
  set turnSince(at: number) {
    this.change('turnSince', at);
  }
  get passes(): number {
    return this.changing.passes;
  }
  set passes(n: number) {
    this.change('passes', n);
  }
  get drawOffered(): boolean {
    return this.changing.drawOffered;
  }
  set drawOffered(offered: boolean) {
    this.change('drawOffered', offered);
  }
  get hopelessMoves(): number {
    return this.changing.hopelessMoves;
  }
  set hopelessMoves(n: number) {
    this.change('hopelessMoves', n);
  }
  get clocks(): BoardClocks | null {
    return this.changing.clocks;
  }
  set clocks(clocks: BoardClocks | null) {
    this.change('clocks', clocks);
  }

  get ply(): number {
    return this.moves.length;
  }

  get turn(): Color {
    return this.chess.turn() === 'w' ? 'white' : 'black';
  }

  get over(): boolean {
    return this.end !== null;
  }

  /** True while the game is on and Judit has the move. */
  get juditToMove(): boolean {
    return !this.over && this.turn === this.juditColor;
  }

  get opponentToMove(): boolean {
    return !this.over && this.turn !== this.juditColor;
  }

  get lastMove(): MoveRecord | null {
    return this.moves[this.moves.length - 1] ?? null;
  }

  /** The side to move: whose clock runs. */
  get sideToMove(): Side {
    return this.sideOf(this.turn);
  }

  /** When the side to move's flag falls, or null without clocks or once the game is over. */
  get flagAt(): number | null {
    if (!this.clocks || this.over) return null;
    return this.turnSince + this.clocks[this.sideToMove];
  }

  /**
   * Ends the game: the running clock stops at `clockStops` (the ending's moment, or the pause it
   * came in), at zero for a fallen flag.
   */
  finish(end: GameEnd, clockStops = end.at): void {
    if (this.clocks && !this.over) {
      const side = this.sideToMove;
      this.clocks = { ...this.clocks, [side]: Math.max(0, this.clocks[side] - (clockStops - this.turnSince)) };
    }
    this.end = end;
  }

  sideOf(color: Color): Side {
    return color === this.juditColor ? 'judit' : 'opponent';
  }

  colorOf(side: Side): Color {
    return side === 'judit' ? this.juditColor : this.juditColor === 'white' ? 'black' : 'white';
  }

  /**
   * Plays a UCI move for the side to move; null when it is not legal here. Only the canonical form
   * is a move (`e2e4q` is not): an engine refuses a stored game holding a needless promotion letter.
   */
  play(uci: string, startedAt: number, now: number, incrementMs = 0): MoveRecord | null {
    const parts = parseUci(uci);
    if (!parts) return null;
    const by = this.sideToMove;
    const san = playUci(this.chess, parts);
    if (san === null) return null;
    const record: MoveRecord = {
      ply: this.moves.length + 1,
      uci,
      san,
      by,
      readyAt: this.turnSince,
      startedAt,
      movedAt: now,
    };
    if (this.clocks) {
      record.clockMs = this.clocks[by] - (now - this.turnSince) + incrementMs;
      this.clocks = { ...this.clocks, [by]: record.clockMs };
    }
    this.moves.push(record);
    this.turnSince = now;
    this.drawOffered = this.drawOffered && record.by === 'opponent';
    return record;
  }

  /** The ending the rules impose on the current position, if any. */
  ruleEnd(now: number): GameEnd | null {
    const reason = ruleEnding(this.chess);
    if (reason === null) return null;
    if (reason === 'checkmate') {
      const winner = this.sideOf(this.turn === 'white' ? 'black' : 'white');
      return this.endFor(winner, 'checkmate', now);
    }
    return { result: '1/2-1/2', reason, winner: null, at: now };
  }

  /** A decisive ending in favour of `winner`, or a draw when winner is null. */
  endFor(winner: Side | null, reason: EndReason, now: number): GameEnd {
    let result: GameResult = '1/2-1/2';
    if (winner) result = this.colorOf(winner) === 'white' ? '1-0' : '0-1';
    return { result, reason, winner, at: now };
  }

  private change<K extends keyof Changing>(key: K, value: Changing[K]): void {
    this.changing[key] = value;
    this.lastChange = ++changes;
  }

  state(): BoardState {
    return {
      table: this.table,
      opponent: this.opponent,
      juditColor: this.juditColor,
      startFen: this.startFen,
      end: this.end,
      turnSince: this.turnSince,
      passes: this.passes,
      drawOffered: this.drawOffered,
      hopelessMoves: this.hopelessMoves,
      clocks: this.clocks,
    };
  }

  /** The board as it was stored: its moves replayed, its times and counters as they were. */
  static restore(state: BoardState, moves: readonly MoveRecord[]): Board {
    const board = new Board(state.table, state.opponent, state.juditColor, state.startFen);
    for (const m of moves) {
      const parts = parseUci(m.uci);
      if (!parts) throw new Error(`stored move ${m.uci} at table ${state.table} is not UCI`);
      // throws on a move that is not legal: the record is damaged
      const played = board.chess.move(parts);
      // older files may hold a needless promotion letter (`e2e4q`): it is read as the move it is
      board.moves.push(played.lan === m.uci ? m : { ...m, uci: played.lan });
    }
    board.end = state.end;
    board.turnSince = state.turnSince;
    board.passes = state.passes;
    board.drawOffered = state.drawOffered;
    board.hopelessMoves = state.hopelessMoves;
    board.clocks = state.clocks ?? null;
    return board;
  }

  summary(): BoardSummary {
    return {
      table: this.table,
      opponent: this.opponent,
      juditColor: this.juditColor,
      fen: this.chess.fen(),
      lastMove: this.lastMove?.uci ?? null,
      turn: this.turn,
      ply: this.ply,
      end: this.end,
      drawOffered: this.drawOffered,
      passes: this.passes,
      turnSince: this.turnSince,
      clocks: this.clocks,
    };
  }
}
