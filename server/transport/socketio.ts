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
import { type OpArgs, type OpName, type Presence, RoomAccess } from './forward.js';
import { CandidateDesk, candidateCommands } from './candidates.js';
import { ChatDesk, chatCommands } from './chat.js';
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
export function attachSocketIo(
  httpServer: HttpServer,
  rooms: Directory,
  access: RoomAccess,
  chats: Chats,
  clock: Clock,
  log: Logger,
  limits: Limits,
  edge: Edge,
): IoServer {
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
  access.onPresence((r, who, delta) => presenceChanged(io, r, who, delta));
  // a window of two seconds: a burst of twice the rate, the rate sustained
  const perAddress = rateLimiters(edge.redis)('commands', Math.max(1, Math.round(limits.commandsPerSecondPerIp * 2)), 2);
  const chat = new ChatDesk(io, chats);
  access.useDesks({ chat, candidates: new CandidateDesk(io, clock) });
  // a chat another process wrote while it served the exhibition is read again
  rooms.onTakeover((id) => chat.forget(id));
  const commandTable = { ...commands(io, access), ...chatCommands(access), ...candidateCommands(access) };
  const dispatch = dispatcher(commandTable, clock, log, limits, perAddress);
  const disconnected = function (this: IoSocket) {
    for (const id of this.data.watching) access.present(id, 'spectator', -1);
    for (const [id, table] of this.data.seats) access.present(id, table, -1);
    for (const id of this.data.hosting) access.present(id, 'host', -1);
  };
  const guardUnsent = unsentGuard(limits.maxUnsentBytes, (unsent) => log.warn({ unsent }, 'socket dropped: it does not read what it is sent'));
  io.on('connection', (socket) => {
    guardUnsent(socket);
    onConnection(socket, access, dispatch, disconnected);
  });
  return io;
}

/** Broadcasts through a Redis stream every process reads, which also keeps them for reconnecting sockets. */
export function redisAdapter({ client, prefix }: SharedRedis): ReturnType<typeof createAdapter> {
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
  socket: IoSocket,
  access: RoomAccess,
  dispatch: (this: IoSocket, event: string, ...args: unknown[]) => void,
  disconnected: (this: IoSocket) => void,
): void {
  socket.data.watching ??= [];
  socket.data.seats ??= [];
  socket.data.hosting ??= [];
  if (socket.recovered) {
    // rooms came back with the connection; the bookkeeping of who is here must too
    for (const id of socket.data.watching) access.present(id, 'spectator', 1);
    for (const [id, table] of socket.data.seats) access.present(id, table, 1);
    for (const id of socket.data.hosting) access.present(id, 'host', 1);
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

/** Every command, once per server; an exhibition another process serves is asked of it. */
function commands(io: IoServer, access: RoomAccess): Omit<Commands, keyof ReturnType<typeof chatCommands> | keyof ReturnType<typeof candidateCommands>> {
  const holdSeat = (socket: IoSocket, id: string, table: number) => {
    if (socket.data.seats.some(([i, t]) => i === id && t === table)) return;
    socket.data.seats.push([id, table]);
    // a player follows the whole exhibition too (Judit's walk, the other boards)
    void socket.join([room.seat(id, table), room.board(id, table), room.exhibition(id)]);
    access.present(id, table, 1);
  };

  const run = <K extends OpName>(id: string, op: K, args: OpArgs<K>) => access.run(id, op, args);

  /**
   * Joins `name` before the state is asked for, and leaves it when refused: an exhibition served by
   * another process answers later than its broadcasts arrive, and a move between the two would be
   * lost. The client sets aside what the state already holds.
   */
  const following = async <T extends object>(socket: IoSocket, name: string, ask: () => Promise<Result<T>>): Promise<Result<T>> => {
    const already = socket.rooms.has(name);
    void socket.join(name);
    const answer = await ask();
    if (!answer.ok && !already) void socket.leave(name);
    return answer;
  };

  const hostAction = (op: 'start' | 'pause' | 'resume' | 'end'): Command<'host:start'> => ({
    schema: schemas.hostCommand,
    handle: (_socket, { id, hostKey }): Promise<Result<{}>> => run(id, op, { hostKey }),
  });

  return {
    'lobby:watch': {
      schema: schemas.lobbyWatch,
      handle: (socket, { cursor }) => {
        void socket.join(room.lobby);
        return { ok: true, ...access.lobby(cursor) };
      },
    },
    'exhibition:watch': {
      schema: schemas.exhibitionRef,
      handle: async (socket, { id }) => {
        const watched = await following(socket, room.exhibition(id), () => run(id, 'snapshot', {}));
        if (watched.ok && !socket.data.watching.includes(id)) {
          socket.data.watching.push(id);
          access.present(id, 'spectator', 1);
        }
        return watched;
      },
    },
    'exhibition:unwatch': {
      schema: schemas.exhibitionRef,
      handle: (socket, { id }) => {
        if (socket.data.watching.includes(id)) {
          socket.data.watching = socket.data.watching.filter((w) => w !== id);
          void socket.leave(room.exhibition(id));
          access.present(id, 'spectator', -1);
        }
        return { ok: true };
      },
    },
    'board:open': {
      schema: schemas.boardRef,
      handle: async (socket, { id, table }) => {
        return following(socket, room.board(id, table), () => run(id, 'detail', { table }));
      },
    },
    'timeline:watch': {
      schema: schemas.exhibitionRef,
      handle: async (socket, { id }) => {
        return following(socket, room.timeline(id), () => run(id, 'timeline', {}));
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
      handle: async (socket, { id, name, color }) => {
        const granted = await run(id, 'takeSeat', { name, address: socket.handshake.address, color: color ?? null });
        if (granted.ok) holdSeat(socket, id, granted.table);
        return granted;
      },
    },
    'seat:claim': {
      schema: schemas.seatClaim,
      handle: async (socket, { id, token }) => {
        const granted = await run(id, 'claimSeat', { token });
        if (granted.ok) holdSeat(socket, id, granted.table);
        return granted;
      },
    },
    'move:play': {
      schema: schemas.movePlay,
      handle: (_socket, { id, token, table, ply, uci }) => run(id, 'move', { token, table, ply, uci }),
    },
    'game:resign': {
      schema: schemas.seatCommand,
      handle: (_socket, { id, token, table }) => run(id, 'resign', { token, table }),
    },
    'game:offerDraw': {
      schema: schemas.seatCommand,
      handle: (_socket, { id, token, table }) => run(id, 'offerDraw', { token, table }),
    },
    'host:watch': {
      schema: schemas.hostCommand,
      handle: async (socket, { id, hostKey }) => {
        const watched = await run(id, 'hostWatch', { hostKey });
        if (!watched.ok) return watched;
        void socket.join([room.host(id), room.exhibition(id)]);
        if (!socket.data.hosting.includes(id)) {
          socket.data.hosting.push(id);
          access.present(id, 'host', 1);
        }
        return watched;
      },
    },
    'host:start': hostAction('start'),
    'host:pause': hostAction('pause'),
    'host:resume': hostAction('resume'),
    'host:end': hostAction('end'),
    'host:kick': {
      schema: schemas.hostKick,
      handle: (_socket, { id, hostKey, table }) => run(id, 'kick', { hostKey, table }),
    },
    'host:kickMany': {
      schema: schemas.hostKickMany,
      handle: (_socket, { id, hostKey, tables }) => run(id, 'kickMany', { hostKey, tables }),
    },
    'host:configure': {
      schema: schemas.hostConfigure,
      handle: (_socket, { id, hostKey, config }) => run(id, 'configure', { hostKey, config }),
    },
  };
}

/** Who came or went, counted where the exhibition is served and told from there. */
function presenceChanged(io: IoServer, r: Room, who: Presence, delta: 1 | -1): void {
  const id = r.id;
  if (who === 'host') return r.hostConnected(delta);
  if (who !== 'spectator') {
    r.playerConnected(who, delta);
    return seatsChanged(io, r);
  }
  r.spectated(delta);
  // one count for a crowd arriving together, not one broadcast to the whole room per arrival
  r.coalesce('spectators', () => io.to(room.exhibition(id)).emit('exhibition:spectators', { id, count: r.presence.spectators }));
}

/** The host's seat list, once for a crowd of players sitting down or connecting together. */
function seatsChanged(io: IoServer, r: Room): void {
  const id = r.id;
  r.coalesce('seats', () => io.to(room.host(id)).emit('host:seats', { id, seats: r.seats() }));
}

/** Each connected player's ETA (only `table`'s, or only those of `giver`'s section, when given), to their seat. */
function sendEtas(io: IoServer, clock: Clock, r: Room, only: { table?: number; giver?: number } = {}): void {
  const id = r.id;
  for (const eta of etas(r.exh, clock.now())) {
    if (only.table !== undefined && eta.table !== only.table) continue;
    if (only.giver !== undefined && eta.giver !== only.giver) continue;
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
      if (event.move.by === 'opponent') sendEtas(io, clock, r, { table: event.table });
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
      everyone.emit('judit:update', { id, giver: event.giver, judit: event.judit });
      sendEtas(io, clock, r, { giver: event.giver });
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
