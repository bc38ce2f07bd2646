/**
 * The simulator in a worker: the same exhibition core, Judit loop, fast brain and virtual clock as
 * `npm run simulate`, so the page never waits on it. Tells the page how far it has come a few
 * times a second; a run the page no longer wants ends with the worker.
 */
import { VirtualClock } from '../../../server/clock/virtual.js';
import { runSimulation } from '../../../server/simulate/simulate.js';
import type { Played, RunReply, RunRequest } from './protocol.js';
import { messageSettle } from './settle.js';

const PROGRESS_MS = 150;

interface WorkerScope {
  onmessage: ((event: MessageEvent<RunRequest>) => void) | null;
  postMessage(reply: RunReply): void;
}
const scope = self as unknown as WorkerScope;
const settle = messageSettle();

scope.onmessage = (event) => void run(event.data);

async function run({ run, params }: RunRequest): Promise<void> {
  let reportedAt = performance.now();
  const clock: VirtualClock = new VirtualClock(0, () => {
    const now = performance.now();
    if (now - reportedAt >= PROGRESS_MS) {
      reportedAt = now;
      scope.postMessage({ run, kind: 'progress', simulatedSeconds: clock.now() / 1000 });
    }
    return settle();
  });
  try {
    const { result, exhibition } = await runSimulation(params, clock);
    const played: Played = {
      startedAt: exhibition.startedAt ?? 0,
      finishedAt: exhibition.finishedAt ?? clock.now(),
      givers: exhibition.config.givers,
      boards: exhibition.boards.map((b) => ({ table: b.table, opponent: b.opponent, juditColor: b.juditColor, moves: b.moves, end: b.end })),
    };
    scope.postMessage({ run, kind: 'done', result, played });
  } catch (error) {
    scope.postMessage({ run, kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
}
