import { type ChildProcess, spawn } from 'node:child_process';
import { Chess } from 'chess.js';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import type { ExhibitionConfigInput } from '../../shared/config.js';
import type { ErrorCode } from '../../shared/errors.js';
import { FEED_PATH } from '../../shared/feed.js';
import type { BoardSummary } from '../../shared/domain.js';
import type { ClientToServerEvents, CreatedExhibition, SeatGranted, ServerToClientEvents } from '../../shared/protocol.js';
import { chooseMove, seededRandom } from '../../server/judit/fast-brain.js';
import { type App, type AppDeps, createApp } from '../../server/app.js';
import type { Clock } from '../../server/clock/clock.js';
import { realClock } from '../../server/clock/real.js';
import { FastBrain } from '../../server/judit/fast-brain.js';
import type { Limits } from '../../server/limits.js';
import { UNLIMITED, UNLIMITED_ENV } from '../unlimited.js';
import { createLogger, type Logger } from '../../server/log.js';
import { SqliteStore } from '../../server/store/sqlite.js';

const root = path.resolve(import.meta.dirname, '../..');

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ServerOptions {
  limits?: Partial<Limits>;
  log?: Logger;
  clientDir?: string;
  createBrain?: AppDeps['createBrain'];
  /** The real clock unless given: on a virtual one nothing moves unless a command moves it. */
  clock?: Clock;
  /** An in-memory SQLite store unless given. */
  store?: AppDeps['store'];
  house?: AppDeps['house'];
  redis?: AppDeps['redis'];
  trustProxy?: boolean;
}

/** The real server on an ephemeral port, with the fast brain so Judit answers in milliseconds. */
export async function startServer(options: ServerOptions = {}): Promise<{ app: App; url: string }> {
  const clock = options.clock ?? realClock;
  const app = await createApp({
    clock,
    createBrain: options.createBrain ?? (async () => new FastBrain({ clock })),
    store: options.store ?? new SqliteStore(':memory:'),
    log: options.log ?? createLogger('silent'),
    limits: { ...UNLIMITED, ...options.limits },
    clientDir: options.clientDir,
    house: options.house,
    redis: options.redis,
    trustProxy: options.trustProxy,
  });
  const port = await app.listen(0, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${port}` };
}

export async function connect(url: string): Promise<Client> {
  const socket: Client = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** How an attempt to open a socket ended: opened (`close` ends it), or refused with this status and body. */
export interface Attempt {
  outcome: 'open' | { status: number; body: string };
  close: () => void;
}

/**
 * WebSockets asked for all at once, as a crowd of tabs (or a script) opens them: a TCP connection
 * each, then every handshake written in one go, so the server reads them together. `socket.io` is
 * its engine's WebSocket, as the pages open it; `feed` the spectators' feed. With `leave`, each
 * client leaves as soon as its handshake is written.
 */
export async function openAtOnce(targets: { url: string; transport: 'socket.io' | 'feed' }[], { leave = false } = {}): Promise<Attempt[]> {
  const sockets = await Promise.all(
    targets.map(({ url }) => {
      const { hostname, port } = new URL(url);
      return new Promise<net.Socket>((resolve, reject) => {
        const socket = net.connect(Number(port), hostname, () => resolve(socket));
        socket.once('error', reject);
      });
    }),
  );
  const answers = sockets.map((socket) => {
    socket.on('error', () => {});
    return new Promise<Attempt['outcome']>((resolve) => {
      let text = '';
      const read = (data: Buffer) => {
        text += data.toString('latin1');
        const head = text.indexOf('\r\n\r\n');
        if (head < 0) return;
        const status = Number(text.slice(9, 12));
        if (status === 101) return void (socket.off('data', read), resolve('open'));
        const length = Number(/content-length: *(\d+)/i.exec(text.slice(0, head))?.[1] ?? 0);
        const body = text.slice(head + 4);
        if (body.length >= length) resolve({ status, body });
      };
      socket.on('data', read);
      socket.once('close', () => resolve({ status: 0, body: text }));
    });
  });
  targets.forEach(({ url, transport }, i) => {
    const { host } = new URL(url);
    const path = transport === 'feed' ? FEED_PATH : '/socket.io/?EIO=4&transport=websocket';
    const key = Buffer.from(String(i).padStart(16, '0')).toString('base64');
    sockets[i].write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  });
  if (leave) for (const socket of sockets) socket.destroy();
  return Promise.all(answers.map(async (answer, i) => ({ outcome: await answer, close: () => sockets[i].destroy() })));
}

export async function createExhibition(url: string, config: ExhibitionConfigInput): Promise<CreatedExhibition> {
  const res = await fetch(`${url}/api/exhibitions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // one address seats every player of a test
    body: JSON.stringify({ seatsPerAddress: 1000, ...config }),
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as CreatedExhibition;
}

/** Seats a player on `socket` who answers Judit at once with a legal move, and resigns after `moves`. */
export async function seatedBot(socket: Client, id: string, name: string, moves: number): Promise<SeatGranted> {
  const seat = await socket.emitWithAck('seat:take', { id, name });
  if (!seat.ok) throw new Error(seat.error.message);
  let played = 0;
  let busy = false;
  // the board as last seen: Judit's answer can come in the same read as the answer to our move,
  // before that answer's promise settles, so it is kept and played once we are free again
  let latest: BoardSummary | null = null;
  const play = async () => {
    while (!busy && latest && !latest.end && latest.turn !== latest.juditColor) {
      const board = latest;
      busy = true;
      if (played++ >= moves) await socket.emitWithAck('game:resign', { id, token: seat.token, table: seat.table });
      else {
        const move = chooseMove(new Chess(board.fen), seededRandom(seat.table, board.fen), true);
        await socket.emitWithAck('move:play', { id, token: seat.token, table: seat.table, ply: board.ply, uci: move.uci });
      }
      busy = false;
      if (latest === board) return; // nothing newer yet: the next update plays on
    }
  };
  socket.on('board:update', ({ id: x, board }) => {
    if (x !== id || board.table !== seat.table) return;
    latest = board;
    play().catch(() => undefined); // the test is over and its socket closed: a move's answer never comes
  });
  return seat;
}

/** Resolves when `predicate` holds, checking after every event the socket receives. */
export function until(socket: Client, predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (predicate()) return resolve();
    const timer = setTimeout(() => {
      socket.offAny(check);
      reject(new Error('timed out waiting'));
    }, timeoutMs);
    const check = () => {
      if (!predicate()) return;
      clearTimeout(timer);
      socket.offAny(check);
      resolve();
    };
    socket.onAny(check);
  });
}

/**
 * A port for a server process of a test: below the kernel's ephemeral range (32768 and up), so an
 * outgoing connection cannot hold it when a killed server is started again on the same port.
 */
export const serverPort = (): number => 20_000 + Math.floor(Math.random() * 12_000);

/** `npm start`'s server process on a free port; resolves with its URL once it serves. */
export async function startProcess(
  env: Record<string, string> = {},
  port = serverPort(),
): Promise<{ url: string; proc: ChildProcess; output: () => string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', SIMUL_BRAIN: 'fast', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'simul-')), ...UNLIMITED_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, proc, output: () => out };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`server did not start:\n${out}`);
}


/**
 * The real server for one test file: started before its tests, closed after them with every client
 * the tests opened through `client()`.
 */
export function useServer(options: ServerOptions = {}): { url: () => string; client: () => Promise<Client>; app: () => App } {
  let app: App | null = null;
  let url = '';
  const sockets: Client[] = [];
  beforeAll(async () => {
    ({ app, url } = await startServer(options));
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await app?.close();
  });
  return {
    url: () => url,
    app: () => app!,
    async client() {
      const s = await connect(url);
      sockets.push(s);
      return s;
    },
  };
}

/** The answer refused `result` with `code` (and a message matching `says`). */
export function refused(result: { ok: boolean; error?: { code: string; message: string } }, code: ErrorCode, says?: RegExp): void {
  expect(result.ok).toBe(false);
  expect(result.error?.code).toBe(code);
  if (says) expect(result.error?.message).toMatch(says);
}

/** Resolves once `predicate` holds: broadcasts arrive in their own time. */
export const eventually = (predicate: () => boolean): Promise<void> =>
  vi.waitFor(
    () => {
      if (!predicate()) throw new Error('not yet');
    },
    { timeout: 10_000, interval: 10 },
  );
