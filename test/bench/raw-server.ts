/**
 * The baseline: a bare socket.io server (default options) with one room per exhibition, which its
 * sockets join as the real server's spectators do, replaying the real server's broadcasts: the same
 * messages to the same rooms at the same moments. What socket.io alone costs, on this machine, in
 * this run. With REDIS_URL, several of them share broadcasts through the Redis streams adapter
 * configured as Simul's processes configure it.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { createLogger } from '../../server/log.js';
import { connectRedis, DEFAULT_REDIS_PREFIX } from '../../server/redis.js';
import { redisAdapter } from '../../server/transport/socketio.js';
import type { RawServerCommands } from './commands.js';
import { wallNow } from './histogram.js';
import { serve } from './ipc.js';
import { probe } from './probe.js';

const http = createServer();
const redis = process.env.REDIS_URL
  ? await connectRedis(process.env.REDIS_URL, process.env.REDIS_PREFIX ?? DEFAULT_REDIS_PREFIX, createLogger('warn'))
  : undefined;
const io = new Server(http, { serveClient: false, adapter: redis ? redisAdapter(redis) : undefined });
io.on('connection', (socket) =>
  socket.on('exhibition:watch', ({ id }: { id: string }, ack: (answer: { ok: true }) => void) => {
    void socket.join(id);
    ack({ ok: true });
  }),
);

await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const address = http.address();
console.log(`raw socket.io on port ${typeof address === 'object' && address ? address.port : '?'}`);

serve<RawServerCommands>({
  ...probe(),
  sockets: () => ({ sockets: io.of('/').sockets.size }),
  broadcast({ messages }) {
    return new Promise((resolve) => {
      const startAt = wallNow();
      let sent = 0;
      const tick = () => {
        while (sent < messages.length && startAt + messages[sent].at <= wallNow()) {
          const { room, event, payload } = messages[sent++];
          io.to(room).emit(event, event === 'board:update' ? { ...(payload as object), sentAt: wallNow() } : payload);
        }
        if (sent >= messages.length) return resolve({ sent, sockets: io.of('/').sockets.size });
        setTimeout(tick, Math.max(0, startAt + messages[sent].at - wallNow()));
      };
      tick();
    });
  },
});
process.on('SIGTERM', () => {
  io.close();
  process.exit(0);
});
