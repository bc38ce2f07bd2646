import { existsSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import path from 'node:path';
import express from 'express';
import type { Clock } from './clock/clock.js';
import { clientAssets } from './http/assets.js';
import { securityHeaders } from './http/headers.js';
import { type EngineGauges, ServerMetrics } from './http/metrics.js';
import { requestLog } from './http/request-log.js';
import { apiRouter } from './http/routes.js';
import type { Brain } from './judit/brain.js';
import { defaultLimits, type Limits } from './limits.js';
import type { Logger } from './log.js';
import { type ClusterSettings, Directory, type HouseSettings } from './rooms/directory.js';
import { rateLimiters } from './rate-limiters.js';
import type { SharedRedis } from './redis.js';
import type { Store } from './store/store.js';
import { RoomAccess } from './transport/forward.js';
import { admission } from './transport/admission.js';
import { commandRunner } from './transport/command.js';
import { Feed } from './transport/feed.js';
import { FeedRelay } from './transport/feed-relay.js';
import { SharedOpenSockets } from './transport/shared-open-sockets.js';
import { attachSocketIo } from './transport/socketio.js';
import { Chats } from './chat/chats.js';

export interface AppDeps {
  clock: Clock;
  createBrain: () => Promise<Brain>;
  /** The engine pool behind the brains, for /metrics and /readyz; none with a brain per exhibition. */
  engines?: EngineGauges;
  store: Store;
  log: Logger;
  /** The built client, served when present. */
  clientDir?: string;
  /** Caps on what visitors may take; each missing one is the default. */
  limits?: Partial<Limits>;
  /** The server's own exhibition, always open; none when absent. */
  house?: HouseSettings;
  /** Set when other processes share the store: leases renewed and taken over (see Directory). */
  cluster?: ClusterSettings;
  /** Who this process is to the store's leases and to the others. */
  owner?: string;
  /** Shared with the other server processes (broadcasts, rate limits, caps per address); alone when absent. */
  redis?: SharedRedis;
  /** Behind a balancer: a client's address is the one it forwards (X-Forwarded-For). */
  trustProxy?: boolean;
}

export interface App {
  http: HttpServer;
  rooms: Directory;
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

/** One HTTP server carrying express, socket.io and the spectators' feed over one directory of exhibition rooms. */
export async function createApp({ clock, createBrain, engines, store, log, clientDir, limits: given, house, cluster, owner, redis, trustProxy = false }: AppDeps): Promise<App> {
  const limits: Limits = { ...defaultLimits(), ...given };
  const rooms = new Directory({ clock, createBrain, store, log, limits, house, cluster, owner });
  const access = new RoomAccess(rooms, log, redis);
  const web = express();
  web.disable('x-powered-by');
  web.set('trust proxy', trustProxy ? 1 : false); // one hop: the balancer's own entry, not what a client wrote
  web.use(requestLog(log, () => clock.now()));
  web.use(securityHeaders());
  web.get('/healthz', (_req, res) => {
    res.json({ ok: true, exhibitions: rooms.all().length, running: rooms.running(), sockets: io.engine.clientsCount + feed.size });
  });
  // ready for visitors: the store loaded and open, and an engine able to think
  let storeReady = false;
  web.get('/readyz', (_req, res) => {
    const engineReady = !engines || engines.ready > 0;
    res.status(storeReady && engineReady ? 200 : 503).json({ ready: storeReady && engineReady, store: storeReady, engines: engines?.ready ?? null });
  });
  // the feed's broadcasts to the processes with spectators of their exhibition
  const relay = redis && new FeedRelay(redis, log, (id) => rooms.held(id) !== undefined);
  if (relay) {
    access.onForwarded((id) => relay.mayBeHeard(id));
    rooms.onTakeover((id) => relay.mayBeHeard(id));
  }
  const metrics = new ServerMetrics({ engines, running: () => rooms.running(), sockets: () => io.engine.clientsCount + feed.size, relay });
  rooms.subscribe((_room, events) => {
    for (const event of events) if (event.type === 'move' && event.move.by === 'judit') metrics.juditMoved();
  });
  web.get('/metrics', metrics.handler());
  web.use('/api', apiRouter(rooms, access, limits, rateLimiters(redis)));
  if (clientDir && existsSync(path.join(clientDir, 'index.html'))) {
    web.use(clientAssets(clientDir));
    // every page is the same single-page app; the client routes by URL
    web.get(['/', '/host', '/lesson', '/x/:id', '/x/:id/play', '/x/:id/host'], (_req, res) => {
      res.sendFile(path.join(clientDir, 'index.html'));
    });
    // any other page is the app's own "Nothing here", with a 404: not Express's bare "Cannot GET"
    web.use((req, res, next) => {
      if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.accepts('html')) return next();
      res.status(404).sendFile(path.join(clientDir, 'index.html'));
    });
  }
  const http = createServer(web);
  const shared = redis && new SharedOpenSockets(redis, log);
  shared?.start();
  http.once('close', () => void shared?.close());
  const admit = admission({ allowedOrigins: limits.allowedOrigins, maxPerAddress: limits.maxSocketsPerIp, trustProxy, shared });
  // a window of two seconds: a burst of twice the rate, the rate sustained
  const perAddress = rateLimiters(redis)('commands', Math.max(1, Math.round(limits.commandsPerSecondPerIp * 2)), 2);
  const run = commandRunner(clock, log, limits, perAddress);
  const feed = new Feed(http, { access, admit, run, log, limits, relay });
  const io = attachSocketIo(http, rooms, access, new Chats({ store, time: clock }), clock, log, limits, { redis, admit, run, feed });
  relay?.start();
  await access.start();
  await rooms.restore(); // after the transport listens, so resumed exhibitions broadcast as usual
  storeReady = true;

  return {
    http,
    rooms,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          const address = http.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      });
    },
    async close() {
      storeReady = false;
      await rooms.close();
      await access.close();
      await relay?.close();
      feed.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
