import type { IncomingMessage } from 'node:http';
import type { Server } from 'socket.io';

/** An engine.io connection: its address is kept from the handshake, whose request may be gone. */
interface Connection {
  remoteAddress: string;
  on(event: 'close', fn: (this: Connection) => void): void;
}

/**
 * Who may open a socket: a page of this site (or of an origin in `allowedOrigins`), and at most
 * `maxPerAddress` open sockets from one address. Clients that send no Origin (not a browser) are
 * not driven by another site's page, so they pass the origin check.
 */
export function admission(allowedOrigins: string[], maxPerAddress: number) {
  const open = new Map<string, number>();
  const allowRequest = (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void) => {
    const origin = req.headers.origin;
    if (origin && !sameSite(origin, req.headers.host) && !allowedOrigins.includes(origin)) {
      return callback('This site does not accept connections from pages of another origin.', false);
    }
    if ((open.get(addressOf(req)) ?? 0) >= maxPerAddress) {
      return callback(`At most ${maxPerAddress} connections from one address.`, false);
    }
    callback(null, true);
  };
  /** Counts every engine connection against its address until it closes (one listener serves every connection). */
  function closed(this: Connection): void {
    const left = (open.get(this.remoteAddress) ?? 1) - 1;
    if (left > 0) open.set(this.remoteAddress, left);
    else open.delete(this.remoteAddress);
  }
  const track = (io: Server) => {
    io.engine.on('connection', (conn: Connection) => {
      open.set(conn.remoteAddress, (open.get(conn.remoteAddress) ?? 0) + 1);
      conn.on('close', closed); // an engine connection closes once
    });
  };
  return { allowRequest, track };
}

export function addressOf(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

function sameSite(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
