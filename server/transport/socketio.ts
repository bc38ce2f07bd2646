import type { Server as HttpServer } from 'node:http';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { Server, type Socket } from 'socket.io';
import type { z } from 'zod';
import { fail, type Result } from '../../shared/errors.js';
import type { ExhibitionEvent } from '../../shared/events.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol.js';
import * as schemas from '../../shared/schemas.js';
import type { Clock } from '../clock/clock.js';
import { etas } from '../exhibition/stats.js';
import type { Limits } from '../limits.js';
import type { Logger } from '../log.js';
import type { Hosted, Registry } from '../registry.js';
import { admission } from './admission.js';
import { forgetHandshakeRequests } from './handshake-request.js';
import { RateLimit } from './rate-limit.js';
import { unsentGuard } from './unsent.js';

interface SocketData {
  /** Exhibitions this socket watches. */
  watching: string[];
  /** Seats this socket holds, as [exhibition id, table]. */
  seats: [string, number][];
  /** Exhibitions whose console this socket has open. */
  hosting: string[];
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
/** Figures that change with every move or every arrival go out at most this often. */
const COALESCE_MS = 500;

/**
 * The one place that knows socket.io: it validates every message, hands it to the registry, and
 * turns the core's domain events into one emit per room.
 */
export function attachSocketIo(httpServer: HttpServer, registry: Registry, clock: Clock, log: Logger, limits: Limits): IoServer {
  const admit = admission(limits.allowedOrigins, limits.maxSocketsPerIp);
  const io: IoServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: true },
    serveClient: false,
    allowRequest: admit.allowRequest,
  });
  admit.track(io);
  forgetHandshakeRequests(io);

  registry.on((h, event) => broadcast(io, registry, clock, h, event));
  const dispatch = dispatcher(commands(io, registry), clock, log, limits);
  const disconnected = function (this: IoSocket) {
    for (const id of this.data.watching) changeSpectators(io, registry, registry.get(id), -1);
    for (const [id, table] of this.data.seats) seatConnected(io, registry, id, table, -1);
    for (const id of this.data.hosting) hostConnected(registry, id, -1);
  };
  const guardUnsent = unsentGuard(limits.maxUnsentBytes, (unsent) => log.warn({ unsent }, 'socket dropped: it does not read what it is sent'));
  io.on('connection', (socket) => {
    guardUnsent(socket);
    onConnection(io, socket, registry, dispatch, disconnected);
  });
  return io;
}

/** A command a socket may send: its payload's schema and what answers it. */
interface Command<E extends Event> {
  schema: z.ZodType<PayloadOf<E>>;
  handle: (socket: IoSocket, payload: PayloadOf<E>) => AnswerOf<E> | Promise<AnswerOf<E>>;
}
type Commands = { [E in Event]: Command<E> };
type AnyCommand = { schema: z.ZodType<unknown>; handle: (socket: IoSocket, payload: unknown) => Result<object> | Promise<Result<object>> };

/**
 * Listens to one connection. Every socket shares one dispatcher and one table of commands: a
 * connection costs only its own state, and a spectator's socket is most of what the server holds.
 */
function onConnection(
  io: IoServer,
  socket: IoSocket,
  registry: Registry,
  dispatch: (this: IoSocket, event: string, ...args: unknown[]) => void,
  disconnected: (this: IoSocket) => void,
): void {
  socket.data.watching ??= [];
  socket.data.seats ??= [];
  socket.data.hosting ??= [];
  if (socket.recovered) {
    // rooms came back with the connection; the bookkeeping of who is here must too
    for (const id of socket.data.watching) changeSpectators(io, registry, registry.get(id), 1);
    for (const [id, table] of socket.data.seats) seatConnected(io, registry, id, table, 1);
    for (const id of socket.data.hosting) hostConnected(registry, id, 1);
  }
  socket.onAny(dispatch);
  socket.on('disconnect', disconnected);
}

/**
 * Answers a socket's commands: ack required, payload validated, rate limited per socket and per
 * address (many sockets from one address share one budget), never throws.
 */
function dispatcher(commands: Commands, clock: Clock, log: Logger, caps: Limits): (this: IoSocket, event: string, ...args: unknown[]) => void {
  const limits = new WeakMap<IoSocket, RateLimit>();
  // a window of two seconds: a burst of twice the rate, the rate sustained
  const perAddress = new RateLimiterMemory({ points: Math.max(1, Math.round(caps.commandsPerSecondPerIp * 2)), duration: 2 });
  const slowDown = () => fail('RATE_LIMITED', 'Too many messages; slow down.');
  return function dispatch(this: IoSocket, event: string, ...args: unknown[]): void {
    // an event that is no command is ignored, as one without a listener always was
    if (!Object.hasOwn(commands, event)) return;
    const command = commands[event as Event] as unknown as AnyCommand;
    const ack = args[args.length - 1];
    if (typeof ack !== 'function') return; // every command is answered; one that cannot be is ignored
    const reply = (result: Result<object>) => (ack as (r: Result<object>) => void)(result);
    let limit = limits.get(this);
    if (!limit) limits.set(this, (limit = new RateLimit(caps.commandsPerSecondPerSocket * 2, caps.commandsPerSecondPerSocket, clock.now())));
    if (!limit.take(clock.now())) return reply(slowDown());
    const parsed = command.schema.safeParse(args.length > 1 ? args[0] : undefined);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ');
      return reply(fail('BAD_REQUEST', detail));
    }
    const failed = (error: unknown) => {
      log.error({ err: error, event }, 'handler failed');
      reply(fail('INTERNAL', 'Something went wrong on the server.'));
    };
    const handle = () => {
      try {
        Promise.resolve(command.handle(this, parsed.data)).then(reply, failed);
      } catch (error) {
        failed(error);
      }
    };
    perAddress.consume(this.handshake.address).then(handle, () => reply(slowDown()));
  };
}

/** Every command, once per server. */
function commands(io: IoServer, registry: Registry): Commands {
  const holdSeat = (socket: IoSocket, id: string, table: number) => {
    if (socket.data.seats.some(([i, t]) => i === id && t === table)) return;
    socket.data.seats.push([id, table]);
    // a player follows the whole exhibition too (Judit's walk, the other boards)
    void socket.join([room.seat(id, table), room.board(id, table), room.exhibition(id)]);
    seatConnected(io, registry, id, table, 1);
  };

  const hostAction = (act: (h: Hosted) => Result<{}> | Promise<Result<{}>>): Command<'host:start'> => ({
    schema: schemas.hostCommand,
    handle: (_socket, { id, hostKey }) => {
      const host = registry.asHost(id, hostKey);
      return host.ok ? act(host.hosted) : host;
    },
  });

  return {
    'lobby:watch': {
      schema: schemas.lobbyWatch,
      handle: (socket, { cursor }) => {
        void socket.join(room.lobby);
        return { ok: true, ...registry.lobby(cursor) };
      },
    },
    'exhibition:watch': {
      schema: schemas.exhibitionRef,
      handle: (socket, { id }) => {
        const found = registry.find(id);
        if (!found.ok) return found;
        if (!socket.data.watching.includes(id)) {
          socket.data.watching.push(id);
          void socket.join(room.exhibition(id));
          changeSpectators(io, registry, found.hosted, 1);
        }
        return { ok: true, snapshot: registry.snapshot(found.hosted) };
      },
    },
    'exhibition:unwatch': {
      schema: schemas.exhibitionRef,
      handle: (socket, { id }) => {
        if (socket.data.watching.includes(id)) {
          socket.data.watching = socket.data.watching.filter((w) => w !== id);
          void socket.leave(room.exhibition(id));
          changeSpectators(io, registry, registry.get(id), -1);
        }
        return { ok: true };
      },
    },
    'board:open': {
      schema: schemas.boardRef,
      handle: (socket, { id, table }) => {
        const found = registry.find(id);
        if (!found.ok) return found;
        const board = found.hosted.exh.board(table);
        if (!board) return fail('NOT_FOUND', `There is no board ${table}.`);
        void socket.join(room.board(id, table));
        return { ok: true, board: registry.detail(board) };
      },
    },
    'timeline:watch': {
      schema: schemas.exhibitionRef,
      handle: (socket, { id }) => {
        const found = registry.find(id);
        if (!found.ok) return found;
        void socket.join(room.timeline(id));
        return { ok: true, timeline: registry.timeline(found.hosted) };
      },
    },
    'board:close': {
      schema: schemas.boardRef,
      handle: (socket, { id, table }) => {
        void socket.leave(room.board(id, table));
        return { ok: true };
      },
    },
    'seat:take': {
      schema: schemas.seatTake,
      handle: (socket, { id, name }) => {
        const granted = registry.takeSeat(id, name, socket.handshake.address);
        if (granted.ok) holdSeat(socket, id, granted.table);
        return granted;
      },
    },
    'seat:claim': {
      schema: schemas.seatClaim,
      handle: (socket, { id, token }) => {
        const granted = registry.claimSeat(id, token);
        if (granted.ok) holdSeat(socket, id, granted.table);
        return granted;
      },
    },
    'move:play': {
      schema: schemas.movePlay,
      handle: (_socket, { id, token, table, ply, uci }) => registry.move(id, token, table, ply, uci),
    },
    'game:resign': {
      schema: schemas.seatCommand,
      handle: (_socket, { id, token, table }) => registry.resign(id, token, table),
    },
    'game:offerDraw': {
      schema: schemas.seatCommand,
      handle: (_socket, { id, token, table }) => registry.offerDraw(id, token, table),
    },
    'host:watch': {
      schema: schemas.hostCommand,
      handle: (socket, { id, hostKey }) => {
        const host = registry.asHost(id, hostKey);
        if (!host.ok) return host;
        void socket.join([room.host(id), room.exhibition(id)]);
        if (!socket.data.hosting.includes(id)) {
          socket.data.hosting.push(id);
          registry.hostConnected(host.hosted, 1);
        }
        return { ok: true, snapshot: registry.snapshot(host.hosted), seats: registry.seats(host.hosted) };
      },
    },
    'host:start': hostAction((h) => registry.start(h)),
    'host:pause': hostAction((h) => registry.pause(h)),
    'host:resume': hostAction((h) => registry.resume(h)),
    'host:end': hostAction((h) => registry.end(h)),
    'host:kick': {
      schema: schemas.hostKick,
      handle: (_socket, { id, hostKey, table }) => {
        const host = registry.asHost(id, hostKey);
        return host.ok ? registry.kick(host.hosted, table) : host;
      },
    },
    'host:kickMany': {
      schema: schemas.hostKickMany,
      handle: (_socket, { id, hostKey, tables }) => {
        const host = registry.asHost(id, hostKey);
        return host.ok ? registry.kickMany(host.hosted, tables) : host;
      },
    },
    'host:configure': {
      schema: schemas.hostConfigure,
      handle: (_socket, { id, hostKey, config }) => {
        const host = registry.asHost(id, hostKey);
        if (!host.ok) return host;
        return registry.configure(host.hosted, config);
      },
    },
  };
}

function changeSpectators(io: IoServer, registry: Registry, h: Hosted | undefined, delta: 1 | -1): void {
  if (!h) return;
  registry.spectated(h, delta);
  // one count for a crowd arriving together, not one broadcast to the whole room per arrival
  const id = h.exh.id;
  coalesce(h, 'spectators', () => io.to(room.exhibition(id)).emit('exhibition:spectators', { id, count: h.spectators }));
}

function hostConnected(registry: Registry, id: string, delta: 1 | -1): void {
  const h = registry.get(id);
  if (h) registry.hostConnected(h, delta);
}

function seatConnected(io: IoServer, registry: Registry, id: string, table: number, delta: 1 | -1): void {
  const h = registry.get(id);
  if (!h) return;
  registry.connected(h, table, delta);
  seatsChanged(io, registry, h);
}

const pending = { stats: new WeakSet<Hosted>(), spectators: new WeakSet<Hosted>(), seats: new WeakSet<Hosted>() };

/** The host's seat list, once for a crowd of players sitting down or connecting together. */
function seatsChanged(io: IoServer, registry: Registry, h: Hosted): void {
  const id = h.exh.id;
  coalesce(h, 'seats', () => io.to(room.host(id)).emit('host:seats', { id, seats: registry.seats(h) }));
}

/** Sends `send()`'s message once, COALESCE_MS from now, however often it is asked for meanwhile. */
function coalesce(h: Hosted, kind: keyof typeof pending, send: () => void): void {
  if (pending[kind].has(h)) return;
  pending[kind].add(h);
  setTimeout(() => {
    pending[kind].delete(h);
    send();
  }, COALESCE_MS);
}

/** Each connected player's ETA (only `table`'s when given), to their seat. */
function sendEtas(io: IoServer, clock: Clock, h: Hosted, table?: number): void {
  const id = h.exh.id;
  for (const eta of etas(h.exh, clock.now())) {
    if (table !== undefined && eta.table !== table) continue;
    if ((h.connections.get(eta.table) ?? 0) > 0) io.to(room.seat(id, eta.table)).emit('judit:eta', { id, eta });
  }
}

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
      seatsChanged(io, registry, h);
      lobby();
      return;
    case 'move':
      everyone.emit('board:update', { id, board: event.board, sentAt: clock.now() });
      io.to([room.board(id, event.table), room.timeline(id)]).emit('board:move', { id, table: event.table, move: event.move });
      // the player's own move turns "once you have moved" into a time
      if (event.move.by === 'opponent') sendEtas(io, clock, h, event.table);
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
      sendEtas(io, clock, h);
      return;
    case 'stats':
      // stats change with every move; spectators need them a few times a second at most
      coalesce(h, 'stats', () => everyone.emit('exhibition:stats', { id, stats: h.exh.stats() }));
      return;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}
