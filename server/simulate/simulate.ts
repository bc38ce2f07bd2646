import { Chess } from 'chess.js';
import { parseConfig, type VisitOrder } from '../../shared/config.js';
import { idealSeconds } from '../../shared/lesson.js';
import type { Clock } from '../clock/clock.js';
import { VirtualClock } from '../clock/virtual.js';
import { Exhibition } from '../exhibition/exhibition.js';
import { chooseMove, FastBrain, seededRandom } from '../judit/fast-brain.js';
import { employJudit, newCounters, type JuditCounters } from '../judit/loop.js';

export interface SimulationParams {
  boards: number;
  juditSeconds: number;
  opponentSeconds: number;
  /** Move pairs per game: each game ends with the opponent's last move of the last pair. */
  movePairs: number;
  seed?: number;
  walkSeconds?: number;
  patienceSeconds?: number;
  order?: VisitOrder;
}

export interface SimulationResult {
  boards: number;
  juditSeconds: number;
  opponentSeconds: number;
  movePairs: number;
  sequentialSeconds: number;
  exhibitionSeconds: number;
  idealSeconds: number;
  speedup: number;
  juditUtilisation: number;
}

/**
 * Runs the real exhibition core with bot opponents that each take exactly `opponentSeconds` per move.
 * On a VirtualClock time jumps from event to event; on the real clock it takes as long as it says.
 */
export async function simulate(
  params: SimulationParams,
  clock: Clock = new VirtualClock(),
  counters: JuditCounters = newCounters(),
): Promise<SimulationResult> {
  return (await runSimulation(params, clock, counters)).result;
}

/** The simulation's figures together with the exhibition itself, for a report of its timeline. */
export async function runSimulation(
  params: SimulationParams,
  clock: Clock = new VirtualClock(),
  counters: JuditCounters = newCounters(),
): Promise<{ result: SimulationResult; exhibition: Exhibition }> {
  const { boards, juditSeconds, opponentSeconds, movePairs, seed = 1 } = params;
  // games run their full length: Judit neither resigns nor is offered draws
  const config = parseConfig({
    name: 'Simulation',
    boards,
    thinkSeconds: juditSeconds,
    elo: null,
    resignCp: null,
    walkSeconds: params.walkSeconds ?? 0,
    patienceSeconds: params.patienceSeconds ?? 0,
    order: params.order ?? 'table',
  });
  const exh = new Exhibition('simulation', config, clock);
  for (let i = 1; i <= boards; i++) exh.takeSeat(`Bot ${i}`);

  const brain = new FastBrain({ clock, seed, prolong: true });
  let failure: unknown = null;
  employJudit(exh, { clock, brain }, (error) => (failure = error), counters);

  // one controller per board: no signal carries more than its own bot's sleep
  const bots = new Map(exh.boards.map((b) => [b.table, new AbortController()]));
  // each bot answers Judit's move after exactly opponentSeconds; its last move ends the game
  const botMove = async (table: number, juditMovedAt: number) => {
    const board = exh.board(table)!;
    // the bot decides at once and plays when its time is up, so the move itself lands on time
    const fen = board.chess.fen();
    const move = chooseMove(new Chess(fen), seededRandom(seed + table, fen), true);
    await clock.sleep(juditMovedAt + opponentSeconds * 1000 - clock.now(), bots.get(table)!.signal);
    if (board.over || !board.opponentToMove) return;
    const result = exh.move(table, board.ply, move.uci);
    if (!result.ok) throw new Error(`bot at table ${table}: ${result.error.message}`);
    const pairs = board.moves.filter((m) => m.by === 'opponent').length;
    if (pairs >= movePairs && !board.over) exh.adjudicate(table, null);
  };
  exh.on((event) => {
    if (event.type === 'move' && event.move.by === 'judit') {
      botMove(event.table, event.move.movedAt).catch((error) => (failure = error));
    }
  });

  const finished = new Promise<void>((resolve) =>
    exh.on((event) => {
      if (event.type === 'status' && (event.status === 'finished' || event.status === 'aborted')) resolve();
    }),
  );
  exh.start();
  if (clock instanceof VirtualClock) await clock.run(() => exh.status === 'finished' || failure !== null);
  else await finished;
  for (const bot of bots.values()) bot.abort();
  if (failure) throw failure;
  if (exh.status !== 'finished') throw new Error('the simulation stalled before every game ended');
  await brain.close();

  const stats = exh.stats();
  const result = {
    boards,
    juditSeconds,
    opponentSeconds,
    movePairs,
    sequentialSeconds: stats.sequentialMs / 1000,
    exhibitionSeconds: stats.elapsedMs / 1000,
    idealSeconds: idealSeconds(params),
    speedup: stats.speedup,
    juditUtilisation: stats.juditUtilisation,
  };
  return { result, exhibition: exh };
}
