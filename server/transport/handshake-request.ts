import { type IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'socket.io';

/** engine.io's stand-in for the response to a WebSocket upgrade: `req` as on Node's ServerResponse. */
interface UpgradeResponse {
  req: IncomingMessage | null;
}

/**
 * Lets a connection's handshake request go once the connection is open. engine.io keeps it on the
 * connection, and for a WebSocket on the upgrade's response too, which a close listener on the TCP
 * socket keeps alive: some 1.3 KB a socket (headers, URL, parser state) for nothing, since the
 * server reads only the address, which engine.io keeps apart (and socket.io's handshake with it).
 */
export function forgetHandshakeRequests(io: Server): void {
  const upgrades = new WeakMap<IncomingMessage, UpgradeResponse>();
  io.engine.use((req: IncomingMessage, res: ServerResponse | UpgradeResponse, next: () => void) => {
    if (!(res instanceof ServerResponse)) upgrades.set(req, res);
    next();
  });
  io.engine.on('connection', (conn: { request: IncomingMessage | null }) => {
    const upgrade = conn.request && upgrades.get(conn.request);
    if (upgrade) upgrade.req = null;
    conn.request = null;
  });
}
