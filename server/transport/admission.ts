import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Server } from 'socket.io';
import { type Failure, fail } from '../../shared/errors.js';
import type { SharedOpenSockets } from './shared-open-sockets.js';

/** An engine.io connection: its address is kept from the handshake, whose request may be gone. */
interface Connection {
  remoteAddress: string;
  request: IncomingMessage | null;
  on(event: 'close', fn: (this: Connection) => void): void;
  close(): void;
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
}

/**
 * Who may open a socket, on socket.io or the spectators' feed: a page of this site (or of an
 * origin in `allowedOrigins`), and at most `maxPerAddress` open sockets from one address over both
 * transports. Clients that send no Origin (not a browser) are not driven by another site's page, so
 * they pass the origin check.
 *
 * A connection's place is taken when it is let in, before it opens: connections opening together
 * each see the others' places, so the cap holds however many come at once. The place is given back
 * when the connection closes, or when its client leaves before it opened.
 */
export function admission({ allowedOrigins, maxPerAddress, trustProxy, shared }: AdmissionRules) {
  /** Places taken per address: connections open and connections being opened. */
  const open = new Map<string, number>();
  /** The address of each connection let in and not open yet, by its TCP socket. */
  const opening = new WeakMap<Duplex, string>();
  const tooMany = fail('RATE_LIMITED', `At most ${maxPerAddress} connections from one address.`);
  const foreign = fail('FORBIDDEN', 'This site does not accept connections from pages of another origin.');
  const gone = fail('BAD_REQUEST', 'The connection closed before it opened.');

  const take = (address: string) => open.set(address, (open.get(address) ?? 0) + 1);
  const giveBack = (address: string) => {
    const left = (open.get(address) ?? 1) - 1;
    if (left > 0) open.set(address, left);
    else open.delete(address);
  };
  /** A connection from `address` is gone: its place is given back, here and over every process. */
  const closed = (address: string) => {
    giveBack(address);
    shared?.release(address);
  };
  /** Its client left before it opened. One listener serves every socket. */
  function leftBeforeOpening(this: Duplex): void {
    const address = opening.get(this);
    if (address === undefined) return;
    opening.delete(this);
    closed(address);
  }

  /**
   * Why the connection `req` asks for may not open, or null when it may: then its place is taken,
   * until `opened` (and then until `closed`), or until its socket closes first.
   */
  const reserve = async (req: IncomingMessage): Promise<Failure | null> => {
    const origin = req.headers.origin;
    if (origin && !sameSite(origin, req.headers.host) && !allowedOrigins.includes(origin)) return foreign;
    const address = addressOf(req, trustProxy);
    if ((open.get(address) ?? 0) >= maxPerAddress) return tooMany;
    take(address); // at once: a connection asking while this one waits on Redis counts it
    if (shared && !(await shared.reserve(address, maxPerAddress))) {
      giveBack(address);
      return tooMany;
    }
    const socket = req.socket;
    if (socket.destroyed) {
      closed(address);
      return gone;
    }
    opening.set(socket, address);
    socket.once('close', leftBeforeOpening);
    return null;
  };
  /**
   * The connection let in over `socket` opened: its address, whose place stays taken until
   * `closed`. Undefined when its client had left already (the place given back): it is to be
   * closed, and does not count.
   */
  const opened = (socket: Duplex): string | undefined => {
    const address = opening.get(socket);
    if (address === undefined) return undefined;
    opening.delete(socket);
    socket.off('close', leftBeforeOpening);
    return address;
  };
  const allowRequest = (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void) => {
    void reserve(req).then((refused) => (refused ? callback(refused.error.message, false) : callback(null, true)));
  };
  /** Counts every engine connection against its address until it closes (one listener serves every connection). */
  function engineClosed(this: Connection): void {
    closed(this.remoteAddress);
  }
  const track = (io: Server) => {
    io.engine.on('connection', (conn: Connection) => {
      // the address its place was taken for (behind a balancer, the one forwarded), before socket.io reads it
      const address = conn.request ? opened(conn.request.socket) : undefined;
      if (address === undefined) return conn.close();
      conn.remoteAddress = address;
      conn.on('close', engineClosed); // an engine connection closes once
    });
    // a handshake that failed after it was let in
    io.engine.on('connection_error', ({ req }: { req: IncomingMessage }) => leftBeforeOpening.call(req.socket));
  };
  return { reserve, allowRequest, track, opened, closed };
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
