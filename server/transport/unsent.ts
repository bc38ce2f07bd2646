import type { Socket } from 'socket.io';

interface Packet {
  data?: unknown;
}

/** An engine.io connection, as the listener sees it (`this`): what it holds back, and its transport. */
interface Conn {
  /** Packets engine.io holds while its transport is not writable (emptied on every flush). */
  writeBuffer: Packet[];
  /** The raw websocket under an engine.io websocket transport, when that is the transport. */
  transport: { socket?: { _socket?: { writableLength: number }; terminate?: () => void } };
  close(discard: boolean): void;
}

const bytesOf = (p: Packet) => (typeof p.data === 'string' ? p.data.length : p.data instanceof Uint8Array ? p.data.byteLength : 0);

/**
 * Drops a socket once the answers it has not read pass `maxBytes`: packets waiting in engine.io's
 * buffer plus bytes the kernel would not take yet. A client that never reads would otherwise keep
 * everything sent to it in the server's memory until its ping times out. One listener serves every
 * socket and keeps no state of its own: it runs for every packet to every spectator, so a reading
 * socket (nothing held back) costs it one look at two lengths.
 */
export function unsentGuard(maxBytes: number, onDrop: (unsent: number) => void): (socket: Socket) => void {
  function packetCreate(this: Conn): void {
    // what is still unsent from before this packet: the packet itself is on its way out now
    const raw = this.transport.socket;
    let unsent = raw?._socket?.writableLength ?? 0;
    const held = this.writeBuffer;
    for (let i = held.length - 1; i >= 0 && unsent <= maxBytes; i--) unsent += bytesOf(held[i]);
    if (unsent <= maxBytes) return;
    onDrop(unsent);
    raw?.terminate?.(); // frees the kernel's and ws's buffers now, not after a closing handshake
    this.close(true);
  }
  return (socket) => void socket.conn.on('packetCreate', packetCreate);
}
