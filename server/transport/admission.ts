import type { IncomingMessage } from 'node:http';
import type { Server } from 'socket.io';

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
  /** Counts every engine connection against its address until it closes. */
  const track = (io: Server) => {
    io.engine.on('connection', (conn: { request: IncomingMessage; once(event: 'close', fn: () => void): void }) => {
      const address = addressOf(conn.request);
      open.set(address, (open.get(address) ?? 0) + 1);
      conn.once('close', () => {
        const left = (open.get(address) ?? 1) - 1;
        if (left > 0) open.set(address, left);
        else open.delete(address);
      });
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
