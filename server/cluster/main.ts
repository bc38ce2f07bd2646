/**
 * `npm run start:cluster -- --processes 3`: several server processes behind HAProxy on PORT,
 * sharing PostgreSQL (DATABASE_URL) and Redis (REDIS_URL). Signals reach every process; when one
 * of them stops, the others take its exhibitions over and it is started again; when the balancer
 * stops, all do.
 */
import { parseArgs } from 'node:util';
import { createLogger } from '../log.js';
import { redacted } from '../redis.js';
import { clusterEnvProblem, startCluster } from './cluster.js';

const log = createLogger(process.env.LOG_LEVEL ?? 'info');
const { values } = parseArgs({ options: { processes: { type: 'string', default: '3' } } });
const processes = Number(values.processes);
if (!Number.isInteger(processes) || processes < 1 || processes > 64) {
  log.fatal(`--processes must be a whole number from 1 to 64, not "${values.processes}"`);
  process.exit(2);
}
const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  log.fatal(`PORT must be a port number, not "${process.env.PORT}"`);
  process.exit(2);
}
const problem = clusterEnvProblem(process.env);
if (problem) {
  log.fatal(problem);
  process.exit(2);
}

let cluster;
try {
  cluster = await startCluster({
    processes,
    port,
    host: process.env.HOST ?? '0.0.0.0',
    env: process.env,
    restart: {
      onRestart: (member, code, signal, delayMs) =>
        log.error({ pid: member.proc.pid, port: member.port, code, signal }, `a server process stopped; the others carry on, and it starts again in ${delayMs / 1000} s`),
    },
  });
} catch (error) {
  log.fatal((error as Error).message);
  process.exit(1);
}
const running = cluster;
log.info(
  { processes: running.members.map((m) => ({ pid: m.proc.pid, port: m.port })), database: redacted(process.env.DATABASE_URL ?? ''), redis: redacted(process.env.REDIS_URL ?? '') },
  `Simul's cluster is serving on http://localhost:${port}`,
);

let stopping = false;
const stop = async (why: string, code: number) => {
  if (stopping) return;
  stopping = true;
  log.info({ why }, 'stopping the cluster');
  await running.stop();
  process.exit(code);
};
running.balancer.once('exit', (code, signal) => void stop(`the balancer stopped (${code ?? signal})`, 1));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal, 0));
