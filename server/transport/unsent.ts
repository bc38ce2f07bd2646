import type { Socket } from 'socket.io';

interface Packet {
  data?: unknown;
}

/** The raw websocket under an engine.io websocket transport, when that is the transport. */
interface RawWebSocket {
  _socket?: { writableLength: number };
  terminate?: () => void;
}

/** An engine.io connection, as these listeners see it (`this`). */
type Conn = Socket['conn'];

const bytesOf = (p: Packet) => (typeof p.data === 'string' ? p.data.length : p.data instanceof Uint8Array ? p.data.byteLength : 0);
const raw = (conn: Conn) => (conn.transport as unknown as { socket?: RawWebSocket }).socket;

/**
 * Drops a socket once the answers it has not read pass `maxBytes`: packets waiting in engine.io's
 * buffer plus bytes the kernel would not take yet. A client that never reads would otherwise keep
 * everything sent to it in the server's memory until its ping times out. One pair of listeners
 * serves every socket and the count of its queued bytes is its only state: a spectator's socket is
 * most of what the server holds.
 */
export function unsentGuard(maxBytes: number, onDrop: (unsent: number) => void): (socket: Socket) => void {
  const queued = new WeakMap<Conn, number>();
  function packetCreate(this: Conn, packet: Packet): void {
    // what is still unsent from before this packet: the packet itself is on its way out now
    const before = queued.get(this) ?? 0;
    const unsent = before + (raw(this)?._socket?.writableLength ?? 0);
    if (unsent <= maxBytes) return void queued.set(this, before + bytesOf(packet));
    queued.delete(this);
    onDrop(unsent);
    raw(this)?.terminate?.(); // frees the kernel's and ws's buffers now, not after a closing handshake
    this.close(true);
  }
  function flush(this: Conn, packets: Packet[]): void {
    let left = queued.get(this);
    if (left === undefined) return;
    for (const p of packets) left -= bytesOf(p);
    queued.set(this, left);
  }
  return (socket) => {
    socket.conn.on('packetCreate', packetCreate);
    socket.conn.on('flush', flush);
  };
}
