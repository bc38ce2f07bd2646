/**
 * The baseline: bare servers of the transports Simul uses, in one process, replaying the real
 * server's broadcasts (the same messages to the same groups at the same moments): a bare `ws`
 * server at the feed's path for the spectators (each frame serialised once, as any fan-out over
 * plain WebSockets does), and a bare socket.io server (default options) for the players' sockets,
 * one room per exhibition. What the transports alone cost, on this machine, in this run. With
 * REDIS_URL, several of them share broadcasts through Redis: socket.io's through the streams adapter
 * configured as Simul's processes configure it, the spectators' through one pub/sub channel. With
 * RAW_FRAMES_ONCE=1 the spectators' frames are framed once and the same bytes written to each
 * socket, the frames due together to a room in one write, as Simul's feed writes them.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { WebSocket, WebSocketServer } from 'ws';
import type { MoveRecord } from '../../shared/domain.js';
import { FEED_PATH, type FeedRequest } from '../../shared/feed.js';
import type { MovePlay } from '../../shared/schemas.js';
import { createLogger } from '../../server/log.js';
import { connectRedis, DEFAULT_REDIS_PREFIX } from '../../server/redis.js';
import { FeedSocket } from '../../server/transport/feed.js';
import { FrameRuns } from '../../server/transport/frame.js';
import { redisAdapter } from '../../server/transport/socketio.js';
import type { RawServerCommands } from './commands.js';
import { wallNow } from './histogram.js';
import { serve } from './ipc.js';
import { deliverFramed, probe } from './probe.js';
import { atTheirMoments } from './replay.js';

const http = createServer();
const redis = process.env.REDIS_URL
  ? await connectRedis(process.env.REDIS_URL, process.env.REDIS_PREFIX ?? DEFAULT_REDIS_PREFIX, createLogger('warn'))
  : undefined;
const io = new Server(http, { serveClient: false, adapter: redis ? redisAdapter(redis) : undefined });
io.on('connection', (socket) => {
  socket.on('exhibition:watch', ({ id }: { id: string }, ack: (answer: { ok: true }) => void) => {
    void socket.join(id);
    ack({ ok: true });
  });
  // a player's move, answered as the real server answers an accepted one: no rules, no game
  socket.on('move:play', ({ ply, uci }: MovePlay, ack: (answer: { ok: true; move: MoveRecord; duplicate: boolean }) => void) => {
    const now = Date.now();
    ack({ ok: true, move: { ply, uci, san: uci, by: 'opponent', readyAt: now, startedAt: now, movedAt: now }, duplicate: false });
  });
});

const framesOnce = process.env.RAW_FRAMES_ONCE === '1';
// framed once, a frame goes to each connection past `ws`'s send, as the feed's FeedSocket writes it
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, WebSocket: framesOnce ? FeedSocket : WebSocket });
// the feed's path is ours; every other upgrade is socket.io's
http.on('upgrade', (req, socket, head) => {
  if (req.url !== FEED_PATH) return;
  wss.handleUpgrade(req, socket, head, (ws) => {
    if (ws instanceof FeedSocket) ws.tcp = socket;
    wss.emit('connection', ws, req);
  });
});
const rooms = new Map<string, Set<WebSocket>>();
wss.on('connection', (ws) => {
  ws.on('message', (data) => {
    const { n, payload } = JSON.parse(String(data)) as FeedRequest<'exhibition:watch'>;
    let room = rooms.get(payload.id);
    if (!room) rooms.set(payload.id, (room = new Set()));
    room.add(ws);
    ws.on('close', () => room.delete(ws));
    ws.send(JSON.stringify({ n, result: { ok: true } }));
  });
});
const deliver = (room: string, frame: Buffer) => {
  if (framesOnce) return gather(room, frame);
  for (const ws of rooms.get(room) ?? []) if (ws.readyState === WebSocket.OPEN) ws.send(frame, { binary: false });
};
/** The frames due now, written in runs (as the feed's) once they have all come. */
const held = new FrameRuns();
const gather = (room: string, frame: Buffer) => {
  if (held.empty) queueMicrotask(writeRuns);
  held.add([room], frame);
};
const writeRuns = () => {
  for (const { to, frames } of held.take()) {
    deliverFramed(frames, () => {
      for (const ws of rooms.get(to[0]) ?? []) if (ws.readyState === WebSocket.OPEN) (ws as FeedSocket).sendFrames(frames);
    });
  }
};
const channel = `${process.env.REDIS_PREFIX ?? DEFAULT_REDIS_PREFIX}raw-feed`;
const sub = redis?.client.duplicate();
if (redis && sub) {
  // the publisher, the room, a line each, then the frame: delivered as it came, by the others
  sub.on('messageBuffer', (_channel: Buffer, message: Buffer) => {
    const first = message.indexOf(0x0a);
    const second = message.indexOf(0x0a, first + 1);
    if (message.toString('utf8', 0, first) === String(process.pid)) return;
    deliver(message.toString('utf8', first + 1, second), message.subarray(second + 1));
  });
  await sub.subscribe(channel);
}

await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const address = http.address();
console.log(`raw socket.io and ws on port ${typeof address === 'object' && address ? address.port : '?'}`);

const sockets = () => io.of('/').sockets.size + wss.clients.size;

serve<RawServerCommands>({
  ...probe(),
  sockets: () => ({ sockets: sockets() }),
  async broadcast({ messages }) {
    const sent = await atTheirMoments(messages, ({ room, event, payload }) => {
      const msg = event === 'board:update' ? { ...(payload as object), sentAt: wallNow() } : payload;
      io.to(room).emit(event, msg);
      const frame = Buffer.from(JSON.stringify({ event, msg }));
      deliver(room, frame);
      if (redis) void redis.client.publish(channel, Buffer.concat([Buffer.from(`${process.pid}\n${room}\n`), frame]));
    });
    return { sent: sent.length, sockets: sockets() };
  },
});
process.on('SIGTERM', () => {
  io.close();
  wss.close();
  process.exit(0);
});
