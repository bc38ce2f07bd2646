/** What the orchestrator can ask of each process it starts. */
import type { ServerToClientEvents } from '../../shared/protocol.js';
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
}

export interface HeapFigures {
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  rss: number;
  /** Broadcasts kept for connection-state recovery (socket.io keeps each for the recovery window). */
  keptPackets: number;
}

/** The server under test (server/main.ts with probe.ts loaded) and the raw socket.io server. */
export type ProbeCommands = {
  loopReset: { args: Record<string, never>; result: {} };
  loop: { args: Record<string, never>; result: LoopFigures };
  heap: { args: Record<string, never>; result: HeapFigures };
  profileStart: { args: Record<string, never>; result: {} };
  profileStop: { args: { path: string }; result: {} };
};

export type RawServerCommands = ProbeCommands & {
  /** Broadcasts `payload` (with a fresh sentAt) to every socket at each of `offsets` (ms from now). */
  broadcast: { args: { payload: BoardUpdate; offsets: number[] }; result: { sent: number; sockets: number } };
  sockets: { args: Record<string, never>; result: { sockets: number } };
};

export interface SpectatorReport {
  latency: { counts: HistogramCounts; negative: number; max: number };
  /** board:update messages received while measuring, and every message. */
  updates: number;
  messages: number;
  /** Bytes of JSON received while measuring (payloads as the client sees them). */
  bytes: number;
  /** One board:update as received, to give the raw server a payload of the same size. */
  sample: BoardUpdate | null;
  /** The sentAt of every board:update one socket received: when the server broadcast. */
  schedule: number[];
  disconnects: number;
}

export type SpectatorCommands = {
  /** Opens `count` sockets to `url`; with `watch`, each joins that exhibition as a spectator. */
  connect: { args: { url: string; count: number; watch: string | null }; result: { connected: number } };
  measure: { args: { on: boolean }; result: {} };
  report: { args: Record<string, never>; result: SpectatorReport };
  close: { args: Record<string, never>; result: {} };
};

export type BotCommands = {
  /** Takes `count` seats in exhibition `id` (bots `from`, `from` + 1, …) that answer Judit after about `thinkMs`. */
  seat: { args: { url: string; id: string; from: number; count: number; thinkMs: number }; result: { seated: number } };
  /** Opens `count` idle sockets to `url` (the raw baseline's room has the players' sockets too). */
  follow: { args: { url: string; count: number }; result: { connected: number } };
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
