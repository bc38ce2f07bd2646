/**
 * The baseline: a bare socket.io server (default options) that puts every socket in one room and
 * broadcasts a payload of the given size on the given schedule (the real server's broadcasts, replayed).
 * What socket.io alone costs, on this machine, in this run.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import type { RawServerCommands } from './commands.js';
import { wallNow } from './histogram.js';
import { serve } from './ipc.js';
import { probe } from './probe.js';

const http = createServer();
const io = new Server(http, { serveClient: false });
io.on('connection', (socket) => void socket.join('all'));

await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const address = http.address();
console.log(`raw socket.io on port ${typeof address === 'object' && address ? address.port : '?'}`);

serve<RawServerCommands>({
  ...probe(),
  sockets: () => ({ sockets: io.of('/').sockets.size }),
  broadcast({ payload, offsets }) {
    const room = io.to('all');
    return new Promise((resolve) => {
      const startAt = wallNow();
      let sent = 0;
      const tick = () => {
        while (sent < offsets.length && startAt + offsets[sent] <= wallNow()) {
          room.emit('board:update', { ...payload, sentAt: wallNow() });
          sent++;
        }
        if (sent >= offsets.length) return resolve({ sent, sockets: io.of('/').sockets.size });
        setTimeout(tick, Math.max(0, startAt + offsets[sent] - wallNow()));
      };
      tick();
    });
  },
});
process.on('SIGTERM', () => {
  io.close();
  process.exit(0);
});
