/**
 * K spectators in one process: socket.io-client over WebSocket, each joining one exhibition's room,
 * timing every board:update from the server's accept (sentAt, same host, same clock) to arrival.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol.js';
import type { Broadcast, SpectatorCommands } from './commands.js';
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
/** What one socket of each exhibition received: the server's broadcasts, for the raw server to replay. */
let broadcasts: Broadcast[] = [];
/** The exhibitions that already have a socket recording their broadcasts. */
const recorded = new Set<string>();

function open(url: string, watch: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket: Client = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 60_000 });
    const recorder = !recorded.has(watch);
    recorded.add(watch);
    socket.on('board:update', (msg) => {
      const ms = wallNow() - msg.sentAt;
      if (!measuring) return;
      latency.record(ms);
      updates++;
    });
    socket.onAny((event: keyof ServerToClientEvents, msg: unknown) => {
      if (!measuring) return;
      messages++;
      bytes += JSON.stringify(msg).length;
      if (!recorder) return;
      const at = event === 'board:update' ? (msg as { sentAt: number }).sentAt : wallNow();
      broadcasts.push({ at, room: watch, event, payload: msg });
    });
    socket.on('disconnect', () => disconnects++);
    socket.once('connect_error', reject);
    socket.once('connect', () => {
      sockets.push(socket);
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
        await open(url, watch[next++ % watch.length]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENT, count) }, worker));
    return { connected: sockets.length };
  },
  measure({ on }) {
    if (on) {
      latency = new Histogram();
      updates = messages = bytes = 0;
      broadcasts = [];
    }
    measuring = on;
    return {};
  },
  report: () => ({ latency: latency.toJSON(), updates, messages, bytes, broadcasts, disconnects }),
  close() {
    for (const s of sockets.splice(0)) s.disconnect();
    disconnects = 0;
    recorded.clear();
    return {};
  },
});
