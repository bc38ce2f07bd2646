/**
 * The baseline: a bare socket.io server (default options) with one room per exhibition, which its
 * sockets join as the real server's spectators do, replaying the real server's broadcasts: the same
 * messages to the same rooms at the same moments. What socket.io alone costs, on this machine, in
 * this run.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import type { RawServerCommands } from './commands.js';
import { wallNow } from './histogram.js';
import { serve } from './ipc.js';
import { probe } from './probe.js';

const http = createServer();
const io = new Server(http, { serveClient: false });
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
