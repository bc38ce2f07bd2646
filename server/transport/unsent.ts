import type { Socket } from 'socket.io';

interface Packet {
  data?: unknown;
}

/** The raw websocket under an engine.io websocket transport, when that is the transport. */
interface RawWebSocket {
  _socket?: { writableLength: number };
  terminate?: () => void;
}

const bytesOf = (p: Packet) => (typeof p.data === 'string' ? p.data.length : p.data instanceof Uint8Array ? p.data.byteLength : 0);

/**
 * Drops `socket` once the answers it has not read pass `maxBytes`: packets waiting in engine.io's
 * buffer plus bytes the kernel would not take yet. A client that never reads would otherwise keep
 * everything sent to it in the server's memory until its ping times out.
 */
export function dropWhenNotReading(socket: Socket, maxBytes: number, onDrop: (unsent: number) => void): void {
  const conn = socket.conn;
  let queued = 0;
  const raw = () => (conn.transport as unknown as { socket?: RawWebSocket }).socket;
  conn.on('packetCreate', (packet: Packet) => {
    // what is still unsent from before this packet: the packet itself is on its way out now
    const unsent = queued + (raw()?._socket?.writableLength ?? 0);
    queued += bytesOf(packet);
    if (unsent <= maxBytes) return;
    queued = 0;
    onDrop(unsent);
    raw()?.terminate?.(); // frees the kernel's and ws's buffers now, not after a closing handshake
    conn.close(true);
  });
  conn.on('flush', (packets: Packet[]) => {
    for (const p of packets) queued -= bytesOf(p);
  });
}
