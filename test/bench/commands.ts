/** What the orchestrator can ask of each process it starts. */
import type { ServerToClientEvents } from '../../shared/protocol.js';
import type { MovePlay } from '../../shared/schemas.js';
import type { HistogramCounts } from './histogram.js';

export type BoardUpdate = Parameters<ServerToClientEvents['board:update']>[0];

export interface LoopFigures {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** p99 of the delay apart from broadcasts to a crowd (and the interval after each), and the share of time that is. */
  quietP99Ms: number;
  quietShare: number;
  /** Event-loop utilisation over the window, 0..1. */
  utilisation: number;
  /** CPU time over wall time (1 = one core busy). */
  cpu: number;
  /** The process's CPU time over the window (user + system), µs. */
  cpuMicros: number;
  /** WebSocket frames sent over the window, every socket's; of them, those of bytes serialised once for many. */
  frames: number;
  sharedFrames: number;
}

export interface HeapFigures {
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  rss: number;
  /** Broadcasts kept for connection-state recovery (socket.io keeps each for the recovery window). */
  keptPackets: number;
}

/** The server under test (server/main.ts with probe.ts loaded) and the raw servers. */
export type ProbeCommands = {
  loopReset: { args: Record<string, never>; result: {} };
  loop: { args: Record<string, never>; result: LoopFigures };
  heap: { args: Record<string, never>; result: HeapFigures };
  profileStart: { args: Record<string, never>; result: {} };
  profileStop: { args: { path: string }; result: {} };
  heapSnapshot: { args: { path: string }; result: {} };
  /** The last window's broadcasts, and how long each board:update took from its sentAt to the last socket's write (ms). */
  broadcasts: { args: Record<string, never>; result: { broadcasts: Broadcast[]; sendSpans: number[] } };
};

/** One message the real server sent to an exhibition's spectators. */
export interface Broadcast {
  /** The server's clock when it sent it to the first of them. */
  at: number;
  /** The exhibition's id: the raw server's room for it. */
  room: string;
  event: keyof ServerToClientEvents;
  payload: unknown;
}

export type RawServerCommands = ProbeCommands & {
  /**
   * Sends each message to its room, `at` ms from now (board:updates with a fresh sentAt): the real
   * server's broadcasts, replayed.
   */
  broadcast: { args: { messages: Broadcast[] }; result: { sent: number; sockets: number } };
  sockets: { args: Record<string, never>; result: { sockets: number } };
};

export interface SpectatorReport {
  latency: { counts: HistogramCounts; negative: number; max: number };
  /** board:update messages received while measuring, and every message. */
  updates: number;
  messages: number;
  /** Bytes of JSON received while measuring (payloads as the client sees them). */
  bytes: number;
  disconnects: number;
}

export type SpectatorCommands = {
  /** Opens `count` sockets to `url`, each watching one of the exhibitions `watch` in turn. */
  connect: { args: { url: string; count: number; watch: string[] }; result: { connected: number } };
  measure: { args: { on: boolean }; result: {} };
  report: { args: Record<string, never>; result: SpectatorReport };
  close: { args: Record<string, never>; result: {} };
};

/** A move a bot sent: when (wall clock, ms; from the window's start once handed over), which bot, on what position, what. */
export interface SentMove {
  at: number;
  bot: number;
  fen: string;
  payload: MovePlay;
}

export type BotCommands = {
  /** Takes `count` seats in exhibition `id` (bots `from`, `from` + 1, …) that answer Judit after about `thinkMs`. */
  seat: { args: { url: string; id: string; from: number; count: number; thinkMs: number }; result: { seated: number } };
  /** Opens `count` idle sockets watching the exhibitions `watch` in turn (the raw baseline's rooms have the players' sockets too). */
  follow: { args: { url: string; count: number; watch: string[] }; result: { connected: number } };
  /** The moves the bots sent from `from` to `to` (wall clock, ms), timed from `from`; forgets every one sent so far. */
  sentMoves: { args: { from: number; to: number }; result: { moves: SentMove[] } };
  /** The bare server's players send `moves` again, each `at` ms from now; resolves when all are answered. */
  replay: { args: { moves: SentMove[] }; result: { answered: number } };
  report: { args: Record<string, never>; result: { moves: number; refused: number } };
  close: { args: Record<string, never>; result: {} };
};

export interface CoreLoopResult {
  boards: number;
  movePairs: number;
  juditMoves: number;
  /** Judit's moves per second through the core (instant brain, instant opponents). */
  juditMovesPerSec: number;
  /** Judit's moves per second that chess.js alone carries on the same games: her move() and the reply's. */
  chessJsMovesPerSec: number;
  /** chess.js move() calls per second in that replay (twice the above). */
  chessJsCallsPerSec: number;
}

export type CoreLoopCommands = {
  run: { args: { boards: number; movePairs: number; runs: number }; result: CoreLoopResult };
};
