import type { IncomingMessage } from 'node:http';
import type { Server } from 'socket.io';
import { type Failure, fail } from '../../shared/errors.js';
import type { Logger } from '../log.js';
import type { SharedOpenSockets } from './shared-open-sockets.js';

/** An engine.io connection: its address is kept from the handshake, whose request may be gone. */
interface Connection {
  remoteAddress: string;
  request: IncomingMessage | null;
  on(event: 'close', fn: (this: Connection) => void): void;
}

export interface AdmissionRules {
  /** Origins allowed besides the page's own. */
  allowedOrigins: string[];
  /** Open sockets from one address, over every process. */
  maxPerAddress: number;
  /** The address is the last X-Forwarded-For entry: the one the balancer in front saw. */
  trustProxy: boolean;
  /** Sockets other processes hold, when processes share Redis. */
  shared?: SharedOpenSockets;
  log: Logger;
}

/**
 * Who may open a socket, on socket.io or the spectators' feed: a page of this site (or of an
 * origin in `allowedOrigins`), and at most `maxPerAddress` open sockets from one address over both
 * transports. Clients that send no Origin (not a browser) are not driven by another site's page, so
 * they pass the origin check.
 */
export function admission({ allowedOrigins, maxPerAddress, trustProxy, shared, log }: AdmissionRules) {
  const open = new Map<string, number>();
  const tooMany = fail('RATE_LIMITED', `At most ${maxPerAddress} connections from one address.`);
  const foreign = fail('FORBIDDEN', 'This site does not accept connections from pages of another origin.');
  /** Why a connection may not open, or null when it may. */
  const check = async (req: IncomingMessage): Promise<Failure | null> => {
    const origin = req.headers.origin;
    if (origin && !sameSite(origin, req.headers.host) && !allowedOrigins.includes(origin)) return foreign;
    const address = addressOf(req, trustProxy);
    const here = open.get(address) ?? 0;
    if (here >= maxPerAddress) return tooMany;
    if (!shared) return null;
    try {
      return here + (await shared.elsewhere(address)) >= maxPerAddress ? tooMany : null;
    } catch (error) {
      // Redis unreachable: this process's own count is the cap until it is back
      log.warn({ err: error }, 'open sockets of other processes unknown');
      return null;
    }
  };
  const allowRequest = (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void) => {
    void check(req).then((refused) => (refused ? callback(refused.error.message, false) : callback(null, true)));
  };
  /** A connection from `address` opened: it counts until `closed`. */
  const opened = (address: string) => {
    const count = (open.get(address) ?? 0) + 1;
    open.set(address, count);
    shared?.changed(address, count);
  };
  const closed = (address: string) => {
    const left = (open.get(address) ?? 1) - 1;
    if (left > 0) open.set(address, left);
    else open.delete(address);
    shared?.changed(address, left);
  };
  /** Counts every engine connection against its address until it closes (one listener serves every connection). */
  function engineClosed(this: Connection): void {
    closed(this.remoteAddress);
  }
  const track = (io: Server) => {
    io.engine.on('connection', (conn: Connection) => {
      // before socket.io reads it for the handshake, and before the request is let go
      if (trustProxy && conn.request) conn.remoteAddress = addressOf(conn.request, true);
      opened(conn.remoteAddress);
      conn.on('close', engineClosed); // an engine connection closes once
    });
  };
  return { check, allowRequest, track, opened, closed };
}

export type Admission = ReturnType<typeof admission>;

/** The client's address: the TCP peer's, or behind a trusted balancer the last address it forwarded for. */
export function addressOf(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? lastForwarded(req.headers['x-forwarded-for']) : undefined;
  return forwarded ?? req.socket.remoteAddress ?? 'unknown';
}

function lastForwarded(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const all = (Array.isArray(header) ? header.join(',') : header).split(',');
  const last = all[all.length - 1]?.trim();
  return last ? last : undefined;
}

function sameSite(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
