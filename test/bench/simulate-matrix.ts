/**
 * `npm run bench:simulate`: the simulator against the formula over a grid of settings (boards, Judit's
 * and the opponents' time, move pairs, with and without walking), printing each run's deviation from
 * the ideal and the worst one. Slow: the largest runs are skipped with `--skip-largest`.
 * `--givers`: instead, the classic j 5, o 55, M 30 for k givers against the ideal for k givers.
 */
import { simulate, type SimulationParams } from '../../server/simulate/simulate.js';
import { idealSecondsForGivers } from '../../shared/lesson.js';

const BOARDS = [1, 2, 6, 12, 13, 24, 100, 1000];
const JUDIT = [1, 5];
const OPPONENT = [0, 5, 55];
const PAIRS = [1, 30, 150];
const WALK = [0, 3];
const skipLargest = process.argv.includes('--skip-largest');
const GIVERS = [1, 2, 3, 4, 8];
const GIVER_BOARDS = [2, 12, 24, 25, 48, 100];

/** k givers, each over her section: the exhibition against the ideal of its longest section. */
async function giversGrid(): Promise<void> {
  let worst = 0;
  let failures = 0;
  for (const givers of GIVERS) {
    for (const boards of GIVER_BOARDS) {
      const inputs = { boards, juditSeconds: 5, opponentSeconds: 55, movePairs: 30 };
      const r = await simulate({ ...inputs, givers });
      const ideal = idealSecondsForGivers(inputs, givers);
      const off = (r.exhibitionSeconds - ideal) / ideal;
      if (Math.abs(off) > Math.abs(worst)) worst = off;
      const mark = Math.abs(off) > 0.01 ? '  OVER 1 %' : '';
      if (mark) failures++;
      const busy = r.perGiver.map((g) => (g.juditUtilisation * 100).toFixed(0)).join('/');
      console.log(`k=${givers} N=${String(boards).padEnd(4)} ${String(r.exhibitionSeconds).padStart(6)} s  ideal ${String(ideal).padStart(6)} s ${(off * 100).toFixed(3).padStart(8)} %  busy ${busy} %${mark}`);
    }
  }
  console.log(`\n${GIVERS.length * GIVER_BOARDS.length} runs; worst deviation ${(worst * 100).toFixed(3)} %; ${failures} over 1 %`);
  process.exit(failures ? 1 : 0);
}

async function main(): Promise<void> {
  let worst = { off: 0, params: null as SimulationParams | null };
  let failures = 0;
  let runs = 0;
  const started = performance.now();
  for (const boards of BOARDS) {
    for (const movePairs of PAIRS) {
      if (skipLargest && boards === 1000 && movePairs === 150) continue;
      for (const juditSeconds of JUDIT) {
        for (const opponentSeconds of OPPONENT) {
          for (const walkSeconds of WALK) {
            const params = { boards, juditSeconds, opponentSeconds, movePairs, walkSeconds };
            const label = `N=${boards} j=${juditSeconds} o=${opponentSeconds} M=${movePairs} w=${walkSeconds}`;
            runs++;
            try {
              const r = await simulate(params);
              const off = (r.exhibitionSeconds - r.idealSeconds) / r.idealSeconds;
              if (Math.abs(off) > Math.abs(worst.off)) worst = { off, params };
              const mark = Math.abs(off) > 0.01 ? '  OVER 1 %' : '';
              if (mark) failures++;
              console.log(`${label.padEnd(40)} ${(off * 100).toFixed(3).padStart(8)} %  early ${r.gamesEndedEarly}${mark}`);
            } catch (error) {
              failures++;
              console.log(`${label.padEnd(40)} FAILED: ${error instanceof Error ? error.message : String(error)}`);
            }
          }
        }
      }
    }
  }
  const w = worst.params;
  console.log(
    `\n${runs} runs in ${((performance.now() - started) / 1000).toFixed(0)} s; worst deviation ${(worst.off * 100).toFixed(3)} %` +
      (w ? ` (N=${w.boards} j=${w.juditSeconds} o=${w.opponentSeconds} M=${w.movePairs} w=${w.walkSeconds})` : '') +
      `; ${failures} over 1 % or failed${skipLargest ? '; N=1000 M=150 skipped' : ''}`,
  );
  process.exit(failures ? 1 : 0);
}

void (process.argv.includes('--givers') ? giversGrid() : main());
