/** `npm run simulate`: the exhibition core against bot opponents, on virtual or real time. */
import { parseArgs } from 'node:util';
import { crossoverBoards } from '../../shared/lesson.js';
import { writeFileSync } from 'node:fs';
import { reportHtml } from './report.js';
import { simulateRealtime } from './realtime.js';
import { runSimulation, simulate, type SimulationParams, type SimulationResult } from './simulate.js';
import { sweep, table } from './format.js';

const usage = `usage: npm run simulate -- [--boards N] [--judit-seconds j] [--opponent-seconds o] [--moves M]
                            [--json] [--sweep A..B] [--realtime [--time-scale 0.001]] [--seed S]
                            [--report out.html]`;

function number(value: string | undefined, fallback: number, name: string, integer = false): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new Error(`--${name} must be a positive ${integer ? 'whole ' : ''}number, not "${value}"`);
  }
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      boards: { type: 'string' },
      'judit-seconds': { type: 'string' },
      'opponent-seconds': { type: 'string' },
      moves: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean', default: false },
      sweep: { type: 'string' },
      realtime: { type: 'boolean', default: false },
      'time-scale': { type: 'string' },
      report: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const params: SimulationParams = {
    boards: number(values.boards, 24, 'boards', true),
    juditSeconds: number(values['judit-seconds'], 5, 'judit-seconds'),
    opponentSeconds: number(values['opponent-seconds'], 55, 'opponent-seconds'),
    movePairs: number(values.moves, 30, 'moves', true),
    seed: number(values.seed, 1, 'seed', true),
  };
  if (params.boards > 1000) throw new Error('--boards is at most 1000');

  let sweepResults: SimulationResult[] = [];
  if (values.sweep) {
    const match = /^(\d+)\.\.(\d+)$/.exec(values.sweep);
    if (!match || Number(match[1]) < 1 || Number(match[2]) < Number(match[1]) || Number(match[2]) > 1000) {
      throw new Error('--sweep takes a range of boards such as 1..40');
    }
    for (let n = Number(match[1]); n <= Number(match[2]); n++) sweepResults.push(await simulate({ ...params, boards: n }));
    if (values.json) for (const r of sweepResults) console.log(JSON.stringify(r));
    else console.log(sweep(sweepResults, crossoverBoards(params)));
    if (!values.report) return;
  }

  const wallStart = performance.now();
  let result: SimulationResult;
  if (values.realtime) {
    result = await simulateRealtime(params, number(values['time-scale'], 0.001, 'time-scale'));
  } else {
    const run = await runSimulation(params);
    result = run.result;
    if (values.report) {
      writeFileSync(values.report, reportHtml(result, run.exhibition, sweepResults));
      console.error(`report written to ${values.report}`);
    }
  }
  const wallMs = performance.now() - wallStart;
  if (values.sweep) return;
  if (values.json) {
    console.log(JSON.stringify(result));
    return;
  }
  console.log(table(result));
  console.log(`  ${values.realtime ? 'real time, scaled' : 'virtual time'}: ran in ${(wallMs / 1000).toFixed(2)} s of wall time`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error(usage);
  process.exit(2);
});
