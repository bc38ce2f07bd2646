import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Server, type Socket } from 'socket.io';
import type { ExhibitionEvent } from '../../shared/events.js';
import type { FeedCommand } from '../../shared/feed.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol.js';
import * as schemas from '../../shared/schemas.js';
import type { Clock } from '../clock/clock.js';
import type { Limits } from '../limits.js';
import type { Logger } from '../log.js';
import type { Chats } from '../chat/chats.js';
import type { Directory } from '../rooms/directory.js';
import type { Room } from '../rooms/room.js';
import type { SharedRedis } from '../redis.js';
import type { Admission } from './admission.js';
import { type Audience, type BroadcastEvent, type BroadcastOf, together } from './audience.js';
import type { AnyCommand, Command, CommandRunner, Event } from './command.js';
import type { OpName, Presence } from '../../shared/forwarding.js';
import { type OpArgs, RoomAccess } from './forward.js';
import { type Candidacy, CandidateDesk, askAgain, candidateCommands } from './candidates.js';
import { ChatDesk, chatCommands } from './chat.js';
import type { Feed } from './feed.js';
import { forgetHandshakeRequests } from './handshake-request.js';
import { countWatching, type Member, spectatorCommands } from './spectator.js';
import { room } from './topics.js';
import { unsentGuard } from './unsent.js';

interface SocketData {
  /** Exhibitions this socket watches. */
  watching: string[];
  /** Seats this socket holds, as [exhibition id, table]. */
  seats: [string, number][];
  /** Exhibitions whose console this socket has open. */
  hosting: string[];
  /** Seats this socket asked the host for, not answered yet. */
  candidacies: Candidacy[];
}

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Small messages only: a move is a few dozen bytes. */
export const MAX_MESSAGE_BYTES = 16 * 1024;

/** How this process stands among others: alone, or sharing broadcasts and limits through Redis. */
export interface Edge {
  /** Shared with the other server processes when present. */
  redis?: SharedRedis;
  /** Who may connect, counted over every transport. */
  admit: Admission;
  /** Answers a command, with the rate limits every transport shares. */
  run: CommandRunner;
  /** The spectators on the feed: they get the same broadcasts as the watchers here. */
  feed: Pick<Feed, 'emit' | 'batch'>;
}

/**
 * The one place that knows socket.io: it validates every message, hands it to the exhibition's
 * room, and turns each room's announced events into one emit per room, to socket.io's sockets and
 * to the feed's spectators.
 */
export function attachSocketIo(
  httpServer: HttpServer,
  rooms: Directory,
  access: RoomAccess,
  chats: Chats,
  clock: Clock,
  log: Logger,
  limits: Limits,
  { redis, admit, run, feed }: Edge,
): IoServer {
  const io: IoServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: true },
    serveClient: false,
    allowRequest: admit.allowRequest,
    // a Redis stream carries every broadcast to every process, and keeps what a reconnecting socket missed
    adapter: redis ? redisAdapter(redis) : undefined,
  });
  admit.track(io);
  forgetHandshakeRequests(io);
  const here: Audience = { emit: (to, event, msg) => (io.to(to).emit as (e: string, m: unknown) => boolean)(event, msg) };
  const audiences: Audiences = { io, everyone: together(here, feed) };

  // a command's broadcasts reach each spectator together
  rooms.subscribe((r, events) => feed.batch(() => events.forEach((event) => broadcast(audiences, clock, r, event))));
  access.onPresence((r, who, delta) => presenceChanged(audiences, r, who, delta));
  const chat = new ChatDesk(audiences.everyone, chats);
  access.useDesks({ chat, candidates: new CandidateDesk(io, clock) });
  // a chat another process wrote while it served the exhibition is read again
  rooms.onTakeover((id) => chat.forget(id));
  const commandTable: Commands = { ...spectating(spectatorCommands(access)), ...commands(access), ...chatCommands(access), ...candidateCommands(access) };
  const dispatch = dispatcher(commandTable, run);
  const disconnected = function (this: IoSocket) {
    present(access, this, -1);
  };
  access.onNewOwner((id) => {
    for (const socket of io.of('/').sockets.values()) {
      present(access, socket, 1, id);
      askAgain(access, socket, id);
    }
  });
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

export type Commands = { [E in Event]: Command<IoSocket, E> };

/** Who a broadcast goes to: socket.io's rooms alone (players, hosts, the lobby), or the spectators' feed too. */
interface Audiences {
  io: IoServer;
  everyone: Audience;
}

/** The spectators' commands over socket.io: a socket's rooms, and its list of exhibitions watched. */
function spectating(table: ReturnType<typeof spectatorCommands>): Pick<Commands, keyof typeof table> {
  const member = (socket: IoSocket): Member => ({
    has: (topic) => socket.rooms.has(topic),
    join: (topic) => void socket.join(topic),
    leave: (topic) => void socket.leave(topic),
    watching: socket.data.watching,
  });
  const adapted = Object.entries(table).map(([name, c]) => {
    const command = c as unknown as AnyCommand<Member>;
    return [name, { schema: command.schema, handle: (socket: IoSocket, payload: unknown) => command.handle(member(socket), payload) }];
  });
  return Object.fromEntries(adapted) as unknown as Pick<Commands, keyof typeof table>;
}

/** Tells the owners that `socket` came (1) or went (-1): of every exhibition it is in, or of `only`. */
function present(access: RoomAccess, socket: IoSocket, delta: 1 | -1, only?: string): void {
  const concerns = (id: string) => only === undefined || id === only;
  countWatching(access, socket.data, delta, only);
  for (const [id, table] of socket.data.seats) if (concerns(id)) access.present(id, table, delta);
  for (const id of socket.data.hosting) if (concerns(id)) access.present(id, 'host', delta);
}

/**
 * Listens to one connection. Every socket shares one dispatcher and one table of commands: a
 * connection costs only its own state.
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
  socket.data.candidacies ??= [];
  // rooms came back with the connection; the bookkeeping of who is here must too
  if (socket.recovered) present(access, socket, 1);
  socket.onAny(dispatch);
  socket.on('disconnect', disconnected);
}

/** Answers a socket's commands: an event that is no command, or comes without an ack, is ignored. */
function dispatcher(commands: Commands, run: CommandRunner): (this: IoSocket, event: string, ...args: unknown[]) => void {
  return function dispatch(this: IoSocket, event: string, ...args: unknown[]): void {
    // an event that is no command is ignored, as one without a listener always was
    if (!Object.hasOwn(commands, event)) return;
    const command = commands[event as Event] as unknown as AnyCommand<IoSocket>;
    const ack = args[args.length - 1];
    if (typeof ack !== 'function') return; // every command is answered; one that cannot be is ignored
    void run(this, this.handshake.address, event, command, args.length > 1 ? args[0] : undefined).then(ack as (r: unknown) => void);
  };
}

/** The players' and the host's commands, once per server; an exhibition another process serves is asked of it. */
function commands(access: RoomAccess): Omit<Commands, FeedCommand | keyof ReturnType<typeof chatCommands> | keyof ReturnType<typeof candidateCommands>> {
  const holdSeat = (socket: IoSocket, id: string, table: number) => {
    if (socket.data.seats.some(([i, t]) => i === id && t === table)) return;
    socket.data.seats.push([id, table]);
    // a player follows the whole exhibition too (Judit's walk, the other boards)
    void socket.join([room.seat(id, table), room.board(id, table), room.exhibition(id)]);
    access.present(id, table, 1);
  };

  const run = <K extends OpName>(id: string, op: K, args: OpArgs<K>) => access.run(id, op, args);

  const hostAction = (op: 'start' | 'pause' | 'resume' | 'end'): Command<IoSocket, 'host:start'> => ({
    schema: schemas.hostCommand,
    handle: (_socket, { id, hostKey }) => run(id, op, { hostKey }),
  });

  return {
    'lobby:watch': {
      schema: schemas.lobbyWatch,
      handle: (socket, { cursor }) => {
        void socket.join(room.lobby);
        return { ok: true, ...access.lobby(cursor) };
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
function presenceChanged({ io, everyone }: Audiences, r: Room, who: Presence, delta: 1 | -1): void {
  const id = r.id;
  if (who === 'host') return r.hostConnected(delta);
  if (who !== 'spectator') {
    r.playerConnected(who, delta);
    return seatsChanged(io, r);
  }
  r.spectated(delta);
  // one count for a crowd arriving together, not one broadcast to the whole room per arrival
  r.coalesce('spectators', () => everyone.emit(room.exhibition(id), 'exhibition:spectators', { id, count: r.presence.spectators }));
}

/** The host's seat list, once for a crowd of players sitting down or connecting together. */
function seatsChanged(io: IoServer, r: Room): void {
  const id = r.id;
  r.coalesce('seats', () => io.to(room.host(id)).emit('host:seats', { id, seats: r.seats() }));
}

/** One emit per room for each domain event. */
function broadcast({ io, everyone: spectators }: Audiences, clock: Clock, r: Room, event: ExhibitionEvent): void {
  const id = r.id;
  const x = room.exhibition(id);
  const everyone = { emit: <E extends BroadcastEvent>(event: E, msg: BroadcastOf<E>) => spectators.emit(x, event, msg) };
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
      spectators.emit([room.board(id, event.table), room.timeline(id)], 'board:move', { id, table: event.table, move: event.move });
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
