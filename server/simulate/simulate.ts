import { parseConfig } from '../../shared/config.js';
import type { ClockSetting, JuditColorSetting, VisitOrder } from '../../shared/config.js';
import { clockLeft } from '../../shared/clocks.js';
import type { EndReason } from '../../shared/domain.js';
import { idealSecondsOfGames } from '../../shared/lesson.js';
import type { Clock } from '../clock/clock.js';
import { VirtualClock } from '../clock/virtual.js';
import { Exhibition } from '../exhibition/exhibition.js';
import { chooseMove, FastBrain, seededRandom } from '../judit/fast-brain.js';
import { newCounters, type JuditCounters } from '../judit/loop.js';
import type { ThinkRequest } from '../judit/brain.js';
import { DirectPort } from '../rooms/direct.js';
import { giverName } from '../../shared/givers.js';

export interface SimulationParams {
  boards: number;
  juditSeconds: number;
  /** Every opponent's time per move or, with `opponentSecondsMax`, the least of it. */
  opponentSeconds: number;
  /** Mixed opponents: each move takes a seeded time drawn evenly from opponentSeconds to this. */
  opponentSecondsMax?: number | null;
  /** Move pairs per game: each game is stopped once both sides have made this many moves. */
  movePairs: number;
  seed?: number;
  walkSeconds?: number;
  patienceSeconds?: number;
  order?: VisitOrder;
  maxPasses?: number | null;
  moveLimitSeconds?: number | null;
  juditColor?: JuditColorSetting;
  clock?: ClockSetting | null;
  /** Givers at once, each over her own section of the tables; 1 by default (Judit alone). */
  givers?: number;
}

/** One giver's figures in a simulation. */
export interface GiverFigures {
  name: string;
  /** Her first and last table. */
  from: number;
  to: number;
  busySeconds: number;
  /** Her busy time over the exhibition's, 0..1. */
  juditUtilisation: number;
}

export interface SimulationResult {
  boards: number;
  juditSeconds: number;
  opponentSeconds: number;
  opponentSecondsMax: number | null;
  walkSeconds: number;
  movePairs: number;
  givers: number;
  sequentialSeconds: number;
  exhibitionSeconds: number;
  /** The formula on the moves actually played, with the opponents' average time. */
  idealSeconds: number;
  speedup: number;
  /** Every giver's busy time over the exhibition's: with one giver, Judit's utilisation. */
  juditUtilisation: number;
  /** Each giver's own figures, Judit's first. */
  perGiver: GiverFigures[];
  /** Games lost on time or on passes. */
  forfeits: number;
  /** Passes charged over every board. */
  passes: number;
  /** Games the rules ended (mate, stalemate, a draw) before their move pairs were played. */
  gamesEndedEarly: number;
  /** On a clock: games lost on time by Judit and by her opponents, and her time left per board at its end. */
  clock: { juditFlags: number; opponentFlags: number; juditSecondsLeft: number[] } | null;
}

const RULE_ENDINGS: ReadonlySet<EndReason> = new Set(['checkmate', 'stalemate', 'threefoldRepetition', 'fiftyMoveRule', 'insufficientMaterial']);

/**
 * Runs the real exhibition core with bot opponents that each take exactly `opponentSeconds` per move
 * (or a seeded time up to `opponentSecondsMax`). On a VirtualClock time jumps from event to event; on
 * the real clock it takes as long as it says.
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
  const opponentSecondsMax = params.opponentSecondsMax ?? null;
  const walkSeconds = params.walkSeconds ?? 0;
  const givers = params.givers ?? 1;
  // games run their full length: Judit neither resigns nor is offered draws
  const config = parseConfig({
    name: 'Simulation',
    boards,
    thinkSeconds: juditSeconds,
    elo: null,
    resignCp: null,
    walkSeconds,
    patienceSeconds: params.patienceSeconds ?? 0,
    order: params.order ?? 'table',
    maxPasses: params.maxPasses ?? null,
    opponentMoveLimitSeconds: params.moveLimitSeconds ?? null,
    juditColor: params.juditColor ?? 'white',
    clock: params.clock ?? null,
    givers,
  });
  const exh = new Exhibition('simulation', config, clock);
  // nothing to store or to guard: the core is driven directly, as a room would drive it
  const port = new DirectPort(exh);
  for (let i = 1; i <= boards; i++) port.run((x) => x.takeSeat(`Bot ${i}`));

  // she plays on the game itself, so she too can steer clear of a third repetition
  const game = (request: ThinkRequest) => (request.table === undefined ? null : (exh.board(request.table)?.chess ?? null));
  const brain = new FastBrain({ clock, seed, prolong: true, game });
  let failure: unknown = null;
  port.employ({ clock, brain }, (error) => (failure = error), counters);

  // one controller per board: no signal carries more than its own bot's sleep
  const bots = new Map(exh.boards.map((b) => [b.table, new AbortController()]));
  const lastPly = 2 * movePairs;
  // each bot answers Judit's move (or opens the game) after its time; moves past the last pair are not played
  const botMove = async (table: number, since: number) => {
    const board = exh.board(table)!;
    if (board.over || board.ply >= lastPly) return;
    const random = seededRandom(seed, `${table}/${board.ply}`);
    const spread = opponentSecondsMax === null ? 0 : opponentSecondsMax - opponentSeconds;
    const seconds = opponentSeconds + spread * random();
    // the bot decides at once and plays when its time is up, so the move itself lands on time
    const ply = board.ply;
    const move = chooseMove(board.chess, random, true);
    await clock.sleep(since + seconds * 1000 - clock.now(), bots.get(table)!.signal);
    if (board.over || board.ply !== ply || exh.status !== 'running') return;
    const result = port.run((x) => x.move(table, ply, move.uci));
    // a move past the limit forfeits the game: that is the rule at work, not a fault
    if (!result.ok && !board.over) throw new Error(`bot at table ${table}: ${result.error.message}`);
  };
  const play = (table: number, since: number) => botMove(table, since).catch((error) => (failure = error));
  port.on((event) => {
    if (event.type !== 'move') return;
    const board = exh.board(event.table)!;
    // stopped once both sides made their moves, after this move's own bookkeeping (a rule ending)
    if (board.ply >= lastPly) queueMicrotask(() => void (board.over || port.run((x) => x.adjudicate(event.table, null))));
    else if (event.move.by === 'judit') void play(event.table, event.move.movedAt);
  });

  const finished = new Promise<void>((resolve) =>
    port.on((event) => {
      if (event.type === 'status' && (event.status === 'finished' || event.status === 'aborted')) resolve();
    }),
  );
  port.run((x) => x.start());
  for (const b of exh.boards) if (b.opponentToMove) void play(b.table, exh.startedAt!);
  if (clock instanceof VirtualClock) await clock.run(() => exh.status === 'finished' || failure !== null);
  else await finished;
  for (const bot of bots.values()) bot.abort();
  if (failure) throw failure;
  if (exh.status !== 'finished') throw new Error('the simulation stalled before every game ended');
  await brain.close();

  const stats = exh.stats();
  const averageOpponent = opponentSecondsMax === null ? opponentSeconds : (opponentSeconds + opponentSecondsMax) / 2;
  // each section is an exhibition of its own: the longest one is the exhibition's time
  const opponentTimes = { juditSeconds, opponentSeconds: averageOpponent, walkSeconds };
  const ideal = Math.max(
    ...exh.givers.map((_, g) => idealSecondsOfGames(opponentTimes, exh.section(g).map((b) => Math.ceil(b.ply / 2)))),
  );
  const result: SimulationResult = {
    boards,
    juditSeconds,
    opponentSeconds,
    opponentSecondsMax,
    walkSeconds,
    movePairs,
    givers,
    sequentialSeconds: stats.sequentialMs / 1000,
    exhibitionSeconds: stats.elapsedMs / 1000,
    idealSeconds: ideal,
    speedup: stats.speedup,
    juditUtilisation: stats.juditUtilisation,
    perGiver: stats.givers.map((g, i) => ({
      name: giverName(i),
      from: g.from,
      to: g.to,
      busySeconds: g.busyMs / 1000,
      juditUtilisation: g.utilisation,
    })),
    forfeits: exh.boards.filter((b) => b.end?.reason === 'forfeitTime' || b.end?.reason === 'forfeitPasses').length,
    passes: exh.boards.reduce((sum, b) => sum + b.passes, 0),
    gamesEndedEarly: exh.boards.filter((b) => b.end && RULE_ENDINGS.has(b.end.reason) && b.ply < lastPly).length,
    clock: config.clock && clockFigures(exh),
  };
  return { result, exhibition: exh };
}

/** Who flagged, and what Judit had left on each board when its game ended. */
function clockFigures(exh: Exhibition): NonNullable<SimulationResult['clock']> {
  const flagged = exh.boards.filter((b) => b.end?.reason === 'flag');
  return {
    juditFlags: flagged.filter((b) => b.end!.winner === 'opponent').length,
    opponentFlags: flagged.filter((b) => b.end!.winner === 'judit').length,
    juditSecondsLeft: exh.boards.map((b) => (clockLeft(b.summary(), 'judit', b.end?.at ?? exh.now()) ?? 0) / 1000),
  };
}
