/**
 * K spectators in one process: socket.io-client over WebSocket, each joining the exhibition's room,
 * timing every board:update from the server's accept (sentAt, same host, same clock) to arrival.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol.js';
import type { BoardUpdate, SpectatorCommands } from './commands.js';
import { Histogram, wallNow } from './histogram.js';
import { serve } from './ipc.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Connections opened at once: enough to go fast, few enough not to time out the server's handshakes. */
const CONCURRENT = 50;

const sockets: Client[] = [];
let measuring = false;
let latency = new Histogram();
let updates = 0;
let messages = 0;
let bytes = 0;
let disconnects = 0;
let sample: BoardUpdate | null = null;
/** When each board:update was sent, as the first socket saw them: the broadcasts' schedule. */
let schedule: number[] = [];
let opened = 0;

function open(url: string, watch: string | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket: Client = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 60_000 });
    const first = opened++ === 0;
    socket.on('board:update', (msg) => {
      const ms = wallNow() - msg.sentAt;
      if (!measuring) return;
      latency.record(ms);
      updates++;
      sample ??= msg;
      if (first) schedule.push(msg.sentAt);
    });
    socket.onAny((_event, msg: unknown) => {
      if (!measuring) return;
      messages++;
      bytes += JSON.stringify(msg).length;
    });
    socket.on('disconnect', () => disconnects++);
    socket.once('connect_error', reject);
    socket.once('connect', () => {
      sockets.push(socket);
      if (!watch) return resolve();
      socket
        .timeout(60_000)
        .emitWithAck('exhibition:watch', { id: watch })
        .then((answer) => (answer.ok ? resolve() : reject(new Error(answer.error.message))), reject);
    });
  });
}

serve<SpectatorCommands>({
  async connect({ url, count, watch }) {
    let next = 0;
    const worker = async () => {
      while (next < count) {
        next++;
        await open(url, watch);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENT, count) }, worker));
    return { connected: sockets.length };
  },
  measure({ on }) {
    if (on) {
      latency = new Histogram();
      updates = messages = bytes = 0;
      sample = null;
      schedule = [];
    }
    measuring = on;
    return {};
  },
  report: () => ({ latency: latency.toJSON(), updates, messages, bytes, sample, schedule, disconnects }),
  close() {
    for (const s of sockets.splice(0)) s.disconnect();
    disconnects = 0;
    opened = 0;
    return {};
  },
});
