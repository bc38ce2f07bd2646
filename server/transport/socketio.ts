import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { z } from 'zod';
import { fail, type Result } from '../../shared/errors.js';
import type { ExhibitionEvent } from '../../shared/events.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol.js';
import * as schemas from '../../shared/schemas.js';
import type { Clock } from '../clock/clock.js';
import { etas } from '../exhibition/stats.js';
import type { Logger } from '../log.js';
import type { Hosted, Registry } from '../registry.js';
import { RateLimit } from './rate-limit.js';

interface SocketData {
  /** Exhibitions this socket watches. */
  watching: string[];
  /** Seats this socket holds, as [exhibition id, table]. */
  seats: [string, number][];
}

type IoServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type Event = keyof ClientToServerEvents;
type PayloadOf<E extends Event> = Parameters<ClientToServerEvents[E]>[0];
type AnswerOf<E extends Event> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

const room = {
  exhibition: (id: string) => `x:${id}`,
  board: (id: string, table: number) => `b:${id}:${table}`,
  seat: (id: string, table: number) => `s:${id}:${table}`,
  host: (id: string) => `h:${id}`,
  timeline: (id: string) => `t:${id}`,
  lobby: 'lobby',
};

/** Small messages only: a move is a few dozen bytes. */
export const MAX_MESSAGE_BYTES = 16 * 1024;
const STATS_INTERVAL_MS = 500;

/**
 * The one place that knows socket.io: it validates every message, hands it to the registry, and
 * turns the core's domain events into one emit per room.
 */
export function attachSocketIo(httpServer: HttpServer, registry: Registry, clock: Clock, log: Logger): IoServer {
  const io: IoServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: true },
    serveClient: false,
  });

  registry.on((h, event) => broadcast(io, registry, clock, h, event));
  io.on('connection', (socket) => onConnection(io, socket, registry, clock, log));
  return io;
}

function onConnection(io: IoServer, socket: IoSocket, registry: Registry, clock: Clock, log: Logger): void {
  socket.data.watching ??= [];
  socket.data.seats ??= [];
  if (socket.recovered) {
    // rooms came back with the connection; the bookkeeping of who is here must too
    for (const id of socket.data.watching) changeSpectators(io, registry.get(id), 1);
    for (const [id, table] of socket.data.seats) seatConnected(io, registry, id, table, 1);
  }
  const limit = new RateLimit(30, 15, clock.now());

  /** Registers a handler: ack required, payload validated, rate limited, never throws. */
  const on = <E extends Event>(
    event: E,
    schema: z.ZodType<PayloadOf<E>>,
    handle: (payload: PayloadOf<E>) => AnswerOf<E> | Promise<AnswerOf<E>>,
  ) => {
    const raw = socket as unknown as { on(name: string, listener: (...args: unknown[]) => void): void };
    raw.on(event, (...args: unknown[]) => {
      const ack = args[args.length - 1];
      if (typeof ack !== 'function') return; // every command is answered; one that cannot be is ignored
      const reply = (result: Result<object>) => (ack as (r: Result<object>) => void)(result);
      if (!limit.take(clock.now())) return reply(fail('RATE_LIMITED', 'Too many messages; slow down.'));
      const parsed = schema.safeParse(args.length > 1 ? args[0] : undefined);
      if (!parsed.success) {
        const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ');
        return reply(fail('BAD_REQUEST', detail));
      }
      const failed = (error: unknown) => {
        log.error({ err: error, event }, 'handler failed');
        reply(fail('INTERNAL', 'Something went wrong on the server.'));
      };
      try {
        Promise.resolve(handle(parsed.data)).then((answer) => reply(answer as Result<object>), failed);
      } catch (error) {
        failed(error);
      }
    });
  };

  on('lobby:watch', schemas.lobbyWatch, () => {
    void socket.join(room.lobby);
    return { ok: true, exhibitions: registry.all().map((h) => registry.summary(h)) };
  });

  on('exhibition:watch', schemas.exhibitionRef, ({ id }) => {
    const found = registry.find(id);
    if (!found.ok) return found;
    if (!socket.data.watching.includes(id)) {
      socket.data.watching.push(id);
      void socket.join(room.exhibition(id));
      changeSpectators(io, found.hosted, 1);
    }
    return { ok: true, snapshot: registry.snapshot(found.hosted) };
  });

  on('exhibition:unwatch', schemas.exhibitionRef, ({ id }) => {
    if (socket.data.watching.includes(id)) {
      socket.data.watching = socket.data.watching.filter((w) => w !== id);
      void socket.leave(room.exhibition(id));
      changeSpectators(io, registry.get(id), -1);
    }
    return { ok: true };
  });

  on('board:open', schemas.boardRef, ({ id, table }) => {
    const found = registry.find(id);
    if (!found.ok) return found;
    const board = found.hosted.exh.board(table);
    if (!board) return fail('NOT_FOUND', `There is no board ${table}.`);
    void socket.join(room.board(id, table));
    return { ok: true, board: registry.detail(board) };
  });

  on('timeline:watch', schemas.exhibitionRef, ({ id }) => {
    const found = registry.find(id);
    if (!found.ok) return found;
    void socket.join(room.timeline(id));
    return { ok: true, timeline: registry.timeline(found.hosted) };
  });

  on('board:close', schemas.boardRef, ({ id, table }) => {
    void socket.leave(room.board(id, table));
    return { ok: true };
  });

  const holdSeat = (id: string, table: number) => {
    if (socket.data.seats.some(([i, t]) => i === id && t === table)) return;
    socket.data.seats.push([id, table]);
    // a player follows the whole exhibition too (Judit's walk, the other boards)
    void socket.join([room.seat(id, table), room.board(id, table), room.exhibition(id)]);
    seatConnected(io, registry, id, table, 1);
  };

  on('seat:take', schemas.seatTake, ({ id, name }) => {
    const granted = registry.takeSeat(id, name);
    if (granted.ok) holdSeat(id, granted.table);
    return granted;
  });

  on('seat:claim', schemas.seatClaim, ({ id, token }) => {
    const granted = registry.claimSeat(id, token);
    if (granted.ok) holdSeat(id, granted.table);
    return granted;
  });

  on('move:play', schemas.movePlay, ({ id, token, table, ply, uci }) => {
    const seat = registry.asSeat(id, token, table);
    if (!seat.ok) return seat;
    return seat.hosted.exh.move(table, ply, uci);
  });

  on('game:resign', schemas.seatCommand, ({ id, token, table }) => {
    const seat = registry.asSeat(id, token, table);
    return seat.ok ? seat.hosted.exh.resign(table) : seat;
  });

  on('game:offerDraw', schemas.seatCommand, ({ id, token, table }) => {
    const seat = registry.asSeat(id, token, table);
    return seat.ok ? seat.hosted.exh.offerDraw(table) : seat;
  });

  on('host:watch', schemas.hostCommand, ({ id, hostKey }) => {
    const host = registry.asHost(id, hostKey);
    if (!host.ok) return host;
    void socket.join([room.host(id), room.exhibition(id)]);
    return { ok: true, snapshot: registry.snapshot(host.hosted), seats: registry.seats(host.hosted) };
  });

  const hostAction = (
    event: 'host:start' | 'host:pause' | 'host:resume' | 'host:end',
    act: (h: Hosted) => Result<{}> | Promise<Result<{}>>,
  ) =>
    on(event, schemas.hostCommand, ({ id, hostKey }) => {
      const host = registry.asHost(id, hostKey);
      return host.ok ? act(host.hosted) : host;
    });
  hostAction('host:start', (h) => registry.start(h));
  hostAction('host:pause', (h) => h.exh.pause());
  hostAction('host:resume', (h) => h.exh.resume());
  hostAction('host:end', (h) => h.exh.abort());

  on('host:kick', schemas.hostKick, ({ id, hostKey, table }) => {
    const host = registry.asHost(id, hostKey);
    return host.ok ? registry.kick(host.hosted, table) : host;
  });

  on('host:configure', schemas.hostConfigure, ({ id, hostKey, config }) => {
    const host = registry.asHost(id, hostKey);
    if (!host.ok) return host;
    return registry.configure(host.hosted, config);
  });

  socket.on('disconnect', () => {
    for (const id of socket.data.watching) changeSpectators(io, registry.get(id), -1);
    for (const [id, table] of socket.data.seats) seatConnected(io, registry, id, table, -1);
  });
}

function changeSpectators(io: IoServer, h: Hosted | undefined, delta: 1 | -1): void {
  if (!h) return;
  h.spectators = Math.max(0, h.spectators + delta);
  const id = h.exh.id;
  io.to(room.exhibition(id)).emit('exhibition:spectators', { id, count: h.spectators });
}

function seatConnected(io: IoServer, registry: Registry, id: string, table: number, delta: 1 | -1): void {
  const h = registry.get(id);
  if (!h) return;
  registry.connected(h, table, delta);
  io.to(room.host(id)).emit('host:seats', { id, seats: registry.seats(h) });
}

const pendingStats = new WeakMap<Hosted, NodeJS.Timeout>();

/** One emit per room for each domain event. */
function broadcast(io: IoServer, registry: Registry, clock: Clock, h: Hosted, event: ExhibitionEvent): void {
  const id = h.exh.id;
  const everyone = io.to(room.exhibition(id));
  const lobby = () => io.to(room.lobby).emit('lobby:update', { exhibition: registry.summary(h) });
  switch (event.type) {
    case 'status':
      everyone.emit('exhibition:status', { id, status: event.status, at: event.at });
      everyone.emit('exhibition:stats', { id, stats: h.exh.stats() });
      lobby();
      return;
    case 'seat':
      everyone.emit('seat:update', { id, table: event.table, opponent: event.opponent });
      io.to(room.host(id)).emit('host:seats', { id, seats: registry.seats(h) });
      lobby();
      return;
    case 'move':
      everyone.emit('board:update', { id, board: event.board, sentAt: clock.now() });
      io.to([room.board(id, event.table), room.timeline(id)]).emit('board:move', { id, table: event.table, move: event.move });
      return;
    case 'drawOffer': {
      const board = h.exh.board(event.table);
      if (board) everyone.emit('board:update', { id, board: board.summary(), sentAt: clock.now() });
      if (event.state === 'declined') everyone.emit('draw:declined', { id, table: event.table });
      return;
    }
    case 'gameOver':
      everyone.emit('board:update', { id, board: event.board, sentAt: clock.now() });
      lobby();
      return;
    case 'pass':
      everyone.emit('board:update', { id, board: event.board, sentAt: clock.now() });
      return;
    case 'config':
      everyone.emit('exhibition:config', { id, config: event.config });
      lobby();
      return;
    case 'judit':
      everyone.emit('judit:update', { id, judit: event.judit });
      for (const eta of etas(h.exh, clock.now())) {
        if ((h.connections.get(eta.table) ?? 0) > 0) io.to(room.seat(id, eta.table)).emit('judit:eta', { id, eta });
      }
      return;
    case 'stats':
      // stats change with every move; spectators need them a few times a second at most
      if (pendingStats.has(h)) return;
      pendingStats.set(
        h,
        setTimeout(() => {
          pendingStats.delete(h);
          everyone.emit('exhibition:stats', { id, stats: h.exh.stats() });
        }, STATS_INTERVAL_MS),
      );
      return;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}
