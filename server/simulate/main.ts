/** `npm run simulate`: the exhibition core against bot opponents, on virtual or real time. */
import { writeFileSync } from 'node:fs';
import { crossoverBoards } from '../../shared/lesson.js';
import { FlagError, parseFlags, usage } from './flags.js';
import { sweep, table } from './format.js';
import { reportHtml } from './report.js';
import { simulateRealtime } from './realtime.js';
import { runSimulation, simulate, type SimulationParams, type SimulationResult } from './simulate.js';

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  if (flags.help) {
    console.log(usage);
    return;
  }
  const params: SimulationParams = {
    boards: flags.boards,
    juditSeconds: flags.juditSeconds,
    opponentSeconds: flags.opponentSeconds,
    opponentSecondsMax: flags.opponentSecondsMax,
    movePairs: flags.movePairs,
    seed: flags.seed,
    walkSeconds: flags.walkSeconds,
    patienceSeconds: flags.patienceSeconds,
    order: flags.order,
    maxPasses: flags.maxPasses,
    moveLimitSeconds: flags.moveLimitSeconds,
    juditColor: flags.juditColor,
    clock: flags.clock,
    givers: flags.givers,
  };

  let sweepResults: SimulationResult[] = [];
  if (flags.sweep) {
    for (let n = flags.sweep.from; n <= flags.sweep.to; n++) sweepResults.push(await simulate({ ...params, boards: n }));
    if (flags.json) for (const r of sweepResults) console.log(JSON.stringify(r));
    else console.log(sweep(sweepResults, crossoverBoards(params), flags.givers));
    if (!flags.report) return;
  }

  const wallStart = performance.now();
  let result: SimulationResult;
  if (flags.realtime) {
    result = await simulateRealtime(params, flags.timeScale);
  } else {
    const run = await runSimulation(params);
    result = run.result;
    if (flags.report) {
      writeFileSync(flags.report, reportHtml(result, run.exhibition, sweepResults));
      console.error(`report written to ${flags.report}`);
    }
  }
  const wallMs = performance.now() - wallStart;
  if (flags.sweep) return;
  if (flags.json) {
    console.log(JSON.stringify(result));
    return;
  }
  console.log(table(result));
  console.log(`  ${flags.realtime ? 'real time, scaled' : 'virtual time'}: ran in ${(wallMs / 1000).toFixed(2)} s of wall time`);
}

main().catch((error: unknown) => {
  if (error instanceof FlagError) {
    console.error(error.message);
  } else {
    console.error(error instanceof Error ? error.message : error);
    console.error(usage);
  }
  process.exit(2);
});
