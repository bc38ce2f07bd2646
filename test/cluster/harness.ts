import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';
import { type Cluster, type ClusterOptions, freePort, type Member, startCluster } from '../../server/cluster/cluster.js';
import type { Client } from '../integration/harness.js';
import { dropDatabase, dropRedisKeys, freshDatabase, postgresAnswers, REDIS_URL, redisAnswers } from '../services.js';
import { UNLIMITED_ENV } from '../unlimited.js';

/** Whether both services answer (said plainly when not; a failure under CI). */
export async function servicesAnswer(): Promise<boolean> {
  const [postgres, redis] = [await postgresAnswers(), await redisAnswers()];
  return postgres && redis;
}

export interface TestCluster extends Cluster {
  /** The processes' own database. */
  databaseUrl: string;
  /** Every line the processes and the balancer wrote, for a failing test to show. */
  output(): string;
  /** A socket opened through the balancer, and the process it landed on. */
  connect(): Promise<{ socket: Client; member: Member }>;
  /** Sockets each process holds now, by its /healthz. */
  sockets(): Promise<number[]>;
  /** Stops every process and the balancer, closes the sockets, drops the database and the Redis keys. */
  close(): Promise<void>;
}

/**
 * `processes` servers (the fast brain) behind HAProxy on free ports, as `npm run start:cluster`
 * starts them, on a database of their own and a Redis prefix of their own.
 */
export async function startTestCluster(processes = 3, env: Record<string, string> = {}, restart?: ClusterOptions['restart']): Promise<TestCluster> {
  const { url: database, name } = await freshDatabase('simul_cluster');
  const prefix = `${name}:`;

  let out = '';
  const cluster = await startCluster({
    processes,
    port: await freePort(),
    host: '127.0.0.1',
    env: {
      ...process.env,
      DATABASE_URL: database,
      REDIS_URL,
      REDIS_PREFIX: prefix,
      SIMUL_BRAIN: 'fast',
      HOUSE_BOARDS: '0',
      LOG_LEVEL: 'warn',
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'simul-cluster-')),
      ...UNLIMITED_ENV,
      ...env,
    },
    output: (text) => (out += text),
    restart,
  }).catch(async (error: unknown) => {
    await dropDatabase(name);
    throw new Error(`${(error as Error).message}\n${out}`);
  });

  const opened: Client[] = [];
  const sockets = () => Promise.all(cluster.members.map(async (m) => ((await (await fetch(`${m.url}/healthz`)).json()) as { sockets: number }).sockets));
  return {
    ...cluster,
    databaseUrl: database.toString(),
    output: () => out,
    sockets,
    async connect() {
      // one at a time: the process whose count of sockets rose is the one it landed on
      const before = await sockets();
      const socket: Client = io(cluster.url, { transports: ['websocket'], forceNew: true, reconnection: false });
      opened.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      for (;;) {
        const after = await sockets();
        const index = after.findIndex((n, i) => n > before[i]);
        if (index >= 0) return { socket, member: cluster.members[index] };
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      for (const socket of opened) socket.disconnect();
      await cluster.stop(5_000);
      await dropDatabase(name);
      await dropRedisKeys(prefix);
    },
  };
}
