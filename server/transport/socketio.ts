import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
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
import type { Chats } from '../chat/chats.js';
import type { Directory } from '../rooms/directory.js';
import type { Room } from '../rooms/room.js';
import type { SharedRedis } from '../redis.js';
import { rateLimiters } from '../rate-limiters.js';
import { admission } from './admission.js';
import { candidateCommands } from './candidates.js';
import { chatCommands } from './chat.js';
import { forgetHandshakeRequests } from './handshake-request.js';
import { RateLimit } from './rate-limit.js';
import { SharedOpenSockets } from './shared-open-sockets.js';
import { unsentGuard } from './unsent.js';

interface SocketData {
  /** Exhibitions this socket watches. */
  watching: string[];
  /** Seats this socket holds, as [exhibition id, table]. */
  seats: [string, number][];
  /** Exhibitions whose console this socket has open. */
  hosting: string[];
}

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type Event = keyof ClientToServerEvents;
type PayloadOf<E extends Event> = Parameters<ClientToServerEvents[E]>[0];
type AnswerOf<E extends Event> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

export const room = {
  exhibition: (id: string) => `x:${id}`,
  board: (id: string, table: number) => `b:${id}:${table}`,
  seat: (id: string, table: number) => `s:${id}:${table}`,
  host: (id: string) => `h:${id}`,
  timeline: (id: string) => `t:${id}`,
  lobby: 'lobby',
};

/** Small messages only: a move is a few dozen bytes. */
export const MAX_MESSAGE_BYTES = 16 * 1024;

/** How this process stands among others: alone, or sharing broadcasts and limits through Redis. */
export interface Edge {
  /** Shared with the other server processes when present. */
  redis?: SharedRedis;
  /** The client's address is the one the balancer in front names (X-Forwarded-For), not the TCP peer's. */
  trustProxy: boolean;
}

/**
 * The one place that knows socket.io: it validates every message, hands it to the exhibition's
 * room, and turns each room's announced events into one emit per socket.io room.
 */
export function attachSocketIo(httpServer: HttpServer, rooms: Directory, chats: Chats, clock: Clock, log: Logger, limits: Limits, edge: Edge): IoServer {
  const shared = edge.redis && new SharedOpenSockets(edge.redis, log);
  shared?.start();
  httpServer.once('close', () => void shared?.close());
  const admit = admission({ allowedOrigins: limits.allowedOrigins, maxPerAddress: limits.maxSocketsPerIp, trustProxy: edge.trustProxy, shared, log });
  const io: IoServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: true },
    serveClient: false,
    allowRequest: admit.allowRequest,
    // a Redis stream carries every broadcast to every process, and keeps what a reconnecting socket missed
    adapter: edge.redis ? redisAdapter(edge.redis) : undefined,
  });
  admit.track(io);
  forgetHandshakeRequests(io);

  rooms.subscribe((r, events) => {
    for (const event of events) broadcast(io, clock, r, event);
  });
  // a window of two seconds: a burst of twice the rate, the rate sustained
  const perAddress = rateLimiters(edge.redis)('commands', Math.max(1, Math.round(limits.commandsPerSecondPerIp * 2)), 2);
  const commandTable = { ...commands(io, rooms), ...chatCommands(io, rooms, chats), ...candidateCommands(io, rooms, clock) };
  const dispatch = dispatcher(commandTable, clock, log, limits, perAddress);
  const disconnected = function (this: IoSocket) {
    for (const id of this.data.watching) changeSpectators(io, rooms.get(id), -1);
    for (const [id, table] of this.data.seats) seatConnected(io, rooms.get(id), table, -1);
    for (const id of this.data.hosting) rooms.get(id)?.hostConnected(-1);
  };
  const guardUnsent = unsentGuard(limits.maxUnsentBytes, (unsent) => log.warn({ unsent }, 'socket dropped: it does not read what it is sent'));
  io.on('connection', (socket) => {
    guardUnsent(socket);
    onConnection(io, socket, rooms, dispatch, disconnected);
  });
  return io;
}

function redisAdapter({ client, prefix }: SharedRedis): ReturnType<typeof createAdapter> {
  return createAdapter(client, {
    streamName: `${prefix}socket.io`,
    channelPrefix: `${prefix}socket.io`,
    sessionKeyPrefix: `${prefix}session:`,
    onlyPlaintext: true, // every payload is JSON: no search for binary parts
  });
}

/** A command a socket may send: its payload's schema and what answers it. */
interface Command<E extends Event> {
  schema: z.ZodType<PayloadOf<E>>;
  handle: (socket: IoSocket, payload: PayloadOf<E>) => AnswerOf<E> | Promise<AnswerOf<E>>;
}
export type Commands = { [E in Event]: Command<E> };
type AnyCommand = { schema: z.ZodType<unknown>; handle: (socket: IoSocket, payload: unknown) => Result<object> | Promise<Result<object>> };

/**
 * Listens to one connection. Every socket shares one dispatcher and one table of commands: a
 * connection costs only its own state, and a spectator's socket is most of what the server holds.
 */
function onConnection(
  io: IoServer,
  socket: IoSocket,
  rooms: Directory,
  dispatch: (this: IoSocket, event: string, ...args: unknown[]) => void,
  disconnected: (this: IoSocket) => void,
): void {
  socket.data.watching ??= [];
  socket.data.seats ??= [];
  socket.data.hosting ??= [];
  if (socket.recovered) {
    // rooms came back with the connection; the bookkeeping of who is here must too
    for (const id of socket.data.watching) changeSpectators(io, rooms.get(id), 1);
    for (const [id, table] of socket.data.seats) seatConnected(io, rooms.get(id), table, 1);
    for (const id of socket.data.hosting) rooms.get(id)?.hostConnected(1);
  }
  socket.onAny(dispatch);
  socket.on('disconnect', disconnected);
}

/**
 * Answers a socket's commands: ack required, payload validated, rate limited per socket and per
 * address (many sockets from one address share one budget), never throws.
 */
function dispatcher(
  commands: Commands,
  clock: Clock,
  log: Logger,
  caps: Limits,
  perAddress: RateLimiterAbstract,
): (this: IoSocket, event: string, ...args: unknown[]) => void {
  const limits = new WeakMap<IoSocket, RateLimit>();
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
function commands(io: IoServer, rooms: Directory): Omit<Commands, keyof ReturnType<typeof chatCommands> | keyof ReturnType<typeof candidateCommands>> {
  const holdSeat = (socket: IoSocket, r: Room, table: number) => {
    const id = r.id;
    if (socket.data.seats.some(([i, t]) => i === id && t === table)) return;
    socket.data.seats.push([id, table]);
    // a player follows the whole exhibition too (Judit's walk, the other boards)
    void socket.join([room.seat(id, table), room.board(id, table), room.exhibition(id)]);
    seatConnected(io, r, table, 1);
  };

  /** `act` on the exhibition's room, once it is found. */
  const inRoom = async <T extends object>(id: string, act: (r: Room) => Result<T> | Promise<Result<T>>): Promise<Result<T>> => {
    const found = await rooms.find(id);
    return found.ok ? act(found.room) : found;
  };

  const hostAction = (act: (r: Room, hostKey: string) => Promise<Result<{}>>): Command<'host:start'> => ({
    schema: schemas.hostCommand,
    handle: (_socket, { id, hostKey }) => inRoom(id, (r) => act(r, hostKey)),
  });

  return {
    'lobby:watch': {
      schema: schemas.lobbyWatch,
      handle: (socket, { cursor }) => {
        void socket.join(room.lobby);
        return { ok: true, ...rooms.lobby(cursor) };
      },
    },
    'exhibition:watch': {
      schema: schemas.exhibitionRef,
      handle: (socket, { id }) =>
        inRoom(id, (r) => {
          if (!socket.data.watching.includes(id)) {
            socket.data.watching.push(id);
            void socket.join(room.exhibition(id));
            changeSpectators(io, r, 1);
          }
          return { ok: true, snapshot: r.snapshot() };
        }),
    },
    'exhibition:unwatch': {
      schema: schemas.exhibitionRef,
      handle: (socket, { id }) => {
        if (socket.data.watching.includes(id)) {
          socket.data.watching = socket.data.watching.filter((w) => w !== id);
          void socket.leave(room.exhibition(id));
          changeSpectators(io, rooms.get(id), -1);
        }
        return { ok: true };
      },
    },
    'board:open': {
      schema: schemas.boardRef,
      handle: (socket, { id, table }) =>
        inRoom(id, (r) => {
          const board = r.detail(table);
          if (!board) return fail('NOT_FOUND', `There is no board ${table}.`);
          void socket.join(room.board(id, table));
          return { ok: true, board };
        }),
    },
    'timeline:watch': {
      schema: schemas.exhibitionRef,
      handle: (socket, { id }) =>
        inRoom(id, (r) => {
          void socket.join(room.timeline(id));
          return { ok: true, timeline: r.timeline() };
        }),
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
      handle: (socket, { id, name, color }) =>
        inRoom(id, async (r) => {
          const granted = await r.takeSeat(name, socket.handshake.address, color ?? null);
          if (granted.ok) holdSeat(socket, r, granted.table);
          return granted;
        }),
    },
    'seat:claim': {
      schema: schemas.seatClaim,
      handle: (socket, { id, token }) =>
        inRoom(id, (r) => {
          const granted = r.claimSeat(token);
          if (granted.ok) holdSeat(socket, r, granted.table);
          return granted;
        }),
    },
    'move:play': {
      schema: schemas.movePlay,
      handle: (_socket, { id, token, table, ply, uci }) => inRoom(id, (r) => r.move(token, table, ply, uci)),
    },
    'game:resign': {
      schema: schemas.seatCommand,
      handle: (_socket, { id, token, table }) => inRoom(id, (r) => r.resign(token, table)),
    },
    'game:offerDraw': {
      schema: schemas.seatCommand,
      handle: (_socket, { id, token, table }) => inRoom(id, (r) => r.offerDraw(token, table)),
    },
    'host:watch': {
      schema: schemas.hostCommand,
      handle: (socket, { id, hostKey }) =>
        inRoom(id, (r) => {
          if (!r.isHost(hostKey)) return fail('FORBIDDEN', 'That is not this exhibition’s host key.');
          void socket.join([room.host(id), room.exhibition(id)]);
          if (!socket.data.hosting.includes(id)) {
            socket.data.hosting.push(id);
            r.hostConnected(1);
          }
          return { ok: true, snapshot: r.snapshot(), seats: r.seats() };
        }),
    },
    'host:start': hostAction((r, key) => r.start(key)),
    'host:pause': hostAction((r, key) => r.pause(key)),
    'host:resume': hostAction((r, key) => r.resume(key)),
    'host:end': hostAction((r, key) => r.end(key)),
    'host:kick': {
      schema: schemas.hostKick,
      handle: (_socket, { id, hostKey, table }) => inRoom(id, (r) => r.kick(hostKey, table)),
    },
    'host:kickMany': {
      schema: schemas.hostKickMany,
      handle: (_socket, { id, hostKey, tables }) => inRoom(id, (r) => r.kickMany(hostKey, tables)),
    },
    'host:configure': {
      schema: schemas.hostConfigure,
      handle: (_socket, { id, hostKey, config }) => inRoom(id, (r) => r.configure(hostKey, config)),
    },
  };
}

function changeSpectators(io: IoServer, r: Room | undefined, delta: 1 | -1): void {
  if (!r) return;
  r.spectated(delta);
  // one count for a crowd arriving together, not one broadcast to the whole room per arrival
  const id = r.id;
  r.coalesce('spectators', () => io.to(room.exhibition(id)).emit('exhibition:spectators', { id, count: r.presence.spectators }));
}

function seatConnected(io: IoServer, r: Room | undefined, table: number, delta: 1 | -1): void {
  if (!r) return;
  r.playerConnected(table, delta);
  seatsChanged(io, r);
}

/** The host's seat list, once for a crowd of players sitting down or connecting together. */
function seatsChanged(io: IoServer, r: Room): void {
  const id = r.id;
  r.coalesce('seats', () => io.to(room.host(id)).emit('host:seats', { id, seats: r.seats() }));
}

/** Each connected player's ETA (only `table`'s when given), to their seat. */
function sendEtas(io: IoServer, clock: Clock, r: Room, table?: number): void {
  const id = r.id;
  for (const eta of etas(r.exh, clock.now())) {
    if (table !== undefined && eta.table !== table) continue;
    if (r.presence.connectedAt(eta.table) > 0) io.to(room.seat(id, eta.table)).emit('judit:eta', { id, eta });
  }
}

/** One emit per room for each domain event. */
function broadcast(io: IoServer, clock: Clock, r: Room, event: ExhibitionEvent): void {
  const id = r.id;
  const everyone = io.to(room.exhibition(id));
  const lobby = () => io.to(room.lobby).emit('lobby:update', { exhibition: r.summary() });
  switch (event.type) {
    case 'status':
      everyone.emit('exhibition:status', { id, status: event.status, at: event.at });
      everyone.emit('exhibition:stats', { id, stats: r.exh.stats() });
      lobby();
      return;
    case 'seat':
      everyone.emit('seat:update', { id, table: event.table, opponent: event.opponent, juditColor: event.juditColor });
      seatsChanged(io, r);
      lobby();
      return;
    case 'move':
      everyone.emit('board:update', { id, board: event.board, sentAt: clock.now() });
      io.to([room.board(id, event.table), room.timeline(id)]).emit('board:move', { id, table: event.table, move: event.move });
      // the player's own move turns "once you have moved" into a time
      if (event.move.by === 'opponent') sendEtas(io, clock, r, event.table);
      return;
    case 'drawOffer': {
      const board = r.exh.board(event.table);
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
      sendEtas(io, clock, r);
      return;
    case 'stats':
      // stats change with every move; spectators need them a few times a second at most
      r.coalesce('stats', () => everyone.emit('exhibition:stats', { id, stats: r.exh.stats() }));
      return;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}
