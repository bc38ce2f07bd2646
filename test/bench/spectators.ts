/**
 * K spectators in one process, each a WebSocket on the spectators' feed as the watch page opens it,
 * watching one exhibition, timing every board:update from the server's accept (sentAt, same host,
 * same clock) to arrival.
 */
import WebSocket from 'ws';
import type { FeedAnswer, FeedFrame } from '../../shared/feed.js';
import { feedUrl } from '../feed-link.js';
import type { SpectatorCommands } from './commands.js';
import { Histogram, wallNow } from './histogram.js';
import { serve } from './ipc.js';

/** Connections opened at once: enough to go fast, few enough not to time out the server's handshakes. */
const CONCURRENT = 50;

const sockets: WebSocket[] = [];
let measuring = false;
let latency = new Histogram();
let updates = 0;
let messages = 0;
let bytes = 0;
let disconnects = 0;

/**
 * A broadcast is `{"event":"…","msg":…}` on either server. The spectators read just what they time
 * (the event's name, and a board update's sentAt, its last field) and count: the load generator
 * must cost as little as it can, since it shares the machine's cores with the server it measures.
 */
const EVENT_START = '{"event":"';
const EVENT_AT = EVENT_START.length;
const ENVELOPE = '{"event":"","msg":}'.length;
const SENT_AT = '"sentAt":';

function open(url: string, watch: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(feedUrl(url), { handshakeTimeout: 60_000, skipUTF8Validation: true });
    const timer = setTimeout(() => reject(new Error('the server did not answer exhibition:watch in 60 s')), 60_000);
    socket.on('message', (data: Buffer) => {
      const frame = data.toString();
      if (!frame.startsWith(EVENT_START)) {
        const answer = JSON.parse(frame) as FeedFrame;
        if (!('n' in answer)) return;
        clearTimeout(timer);
        const { result } = answer as FeedAnswer;
        return result.ok ? resolve() : reject(new Error(result.error.message));
      }
      if (!measuring) return;
      messages++;
      const event = frame.slice(EVENT_AT, frame.indexOf('"', EVENT_AT));
      bytes += data.length - ENVELOPE - event.length;
      if (event === 'board:update') {
        const sentAt = parseFloat(frame.slice(frame.lastIndexOf(SENT_AT) + SENT_AT.length));
        if (Number.isNaN(sentAt)) throw new Error(`a board:update without sentAt: ${frame}`);
        latency.record(wallNow() - sentAt);
        updates++;
      }
    });
    socket.on('close', () => disconnects++);
    socket.once('error', reject);
    socket.once('open', () => {
      sockets.push(socket);
      socket.send(JSON.stringify({ n: 0, command: 'exhibition:watch', payload: { id: watch } }));
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
    }
    measuring = on;
    return {};
  },
  report: () => ({ latency: latency.toJSON(), updates, messages, bytes, disconnects }),
  close() {
    for (const s of sockets.splice(0)) s.terminate();
    disconnects = 0;
    return {};
  },
});
