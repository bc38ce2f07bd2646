/**
 * The exhibition core's own speed: Judit's loop on the virtual clock with an instant brain and
 * instant opponents, both playing scripted games, against chess.js alone replaying the same games.
 * Whatever the core adds to the rules (bookkeeping, events, stats) shows as a ratio below 1.
 */
import { Chess } from 'chess.js';
import { parseUci } from '../../shared/chess.js';
import { parseConfig } from '../../shared/config.js';
import { VirtualClock } from '../../server/clock/virtual.js';
import { Exhibition } from '../../server/exhibition/exhibition.js';
import { DirectPort } from '../../server/rooms/direct.js';
import type { CoreLoopCommands, CoreLoopResult } from './commands.js';
import { serve } from './ipc.js';
import { type Games, ScriptedBrain, scriptGames } from './scripted.js';

/** One exhibition to the end; returns its wall time in ms and Judit's moves. */
async function runCore(games: Games): Promise<{ ms: number; juditMoves: number }> {
  const boards = games.byTable.length;
  const clock = new VirtualClock();
  // Judit never resigns nor is offered a draw; patience and walking are zero
  const config = parseConfig({ name: 'Core loop', boards, thinkSeconds: 0.001, elo: null, resignCp: null });
  const exh = new Exhibition('core', config, clock);
  const port = new DirectPort(exh);
  for (let i = 1; i <= boards; i++) port.run((x) => x.takeSeat(`Bot ${i}`));
  let failure: unknown = null;
  port.employ({ clock, brain: new ScriptedBrain(games.judit) }, (error) => (failure = error));
  // an opponent replies the moment Judit's move is announced, once the core is done with it
  port.on((event) => {
    if (event.type !== 'move' || event.move.by !== 'judit') return;
    const { table } = event;
    queueMicrotask(() => {
      const board = exh.board(table)!;
      if (board.over) return;
      const script = games.byTable[table - 1];
      const result = port.run((x) => x.move(table, board.ply, script[board.ply]));
      if (!result.ok) failure = new Error(`table ${table}: ${result.error.message}`);
      else if (board.ply >= script.length && !board.over) port.run((x) => x.adjudicate(table, null));
    });
  });
  const started = performance.now();
  port.run((x) => x.start());
  await clock.run(() => exh.status === 'finished' || failure !== null);
  const ms = performance.now() - started;
  if (failure) throw failure;
  let juditMoves = 0;
  for (const b of exh.boards) juditMoves += b.moves.filter((m) => m.by === 'judit').length;
  if (juditMoves !== games.juditMoves) throw new Error(`Judit played ${juditMoves} moves, not ${games.juditMoves}`);
  return { ms, juditMoves };
}

/** chess.js alone on the same games, table after table in the core's order (one ply of each in turn). */
function runChessJs(games: Games): { ms: number; calls: number } {
  const boards = games.byTable.map(() => new Chess());
  const moves = games.byTable.map((script) => script.map((uci) => parseUci(uci)!));
  const longest = Math.max(...moves.map((m) => m.length));
  let calls = 0;
  const started = performance.now();
  for (let ply = 0; ply < longest; ply++) {
    for (let t = 0; t < boards.length; t++) {
      const move = moves[t][ply];
      if (!move) continue;
      boards[t].move(move);
      calls++;
    }
  }
  return { ms: performance.now() - started, calls };
}

/** The best of several runs: on a shared machine the fastest run is the one least disturbed. */
const best = (xs: number[]) => Math.min(...xs);

export async function coreLoop(boards: number, movePairs: number, runs: number): Promise<CoreLoopResult> {
  const games = scriptGames(boards, movePairs);
  // warm both up first, then alternate so neither runs on a hotter or colder machine
  await runCore(games);
  runChessJs(games);
  const core: number[] = [];
  const chess: number[] = [];
  let calls = 0;
  for (let i = 0; i < runs; i++) {
    core.push((await runCore(games)).ms);
    const replay = runChessJs(games);
    chess.push(replay.ms);
    calls = replay.calls;
  }
  const perSec = (n: number, ms: number) => (n / ms) * 1000;
  return {
    boards,
    movePairs,
    juditMoves: games.juditMoves,
    juditMovesPerSec: perSec(games.juditMoves, best(core)),
    chessJsMovesPerSec: perSec(games.juditMoves, best(chess)),
    chessJsCallsPerSec: perSec(calls, best(chess)),
  };
}

if (process.send) {
  serve<CoreLoopCommands>({ run: ({ boards, movePairs, runs }) => coreLoop(boards, movePairs, runs) });
}
