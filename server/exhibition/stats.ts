import type { ExhibitionStats, LessonFigures, ResultsTally } from '../../shared/domain.js';
import { tallyResults } from '../../shared/results.js';
import { sections } from '../../shared/givers.js';
import { crossoverBoards, idealSecondsForGivers } from '../../shared/lesson.js';
import type { Exhibition } from './exhibition.js';

/** The live figures of the lesson: how much faster table-to-table is than one game after another. */
export function computeStats(exh: Exhibition, now: number): ExhibitionStats {
  const started = exh.startedAt;
  const end = exh.finishedAt ?? exh.pausedAt ?? now;
  const elapsedMs = started === null ? 0 : Math.max(0, end - started - exh.pausedMs);
  // the thinking under way counts as far as the time does: early on it is most of what was done,
  // and leaving it out put one after another behind table to table (a speed-up below 1 at the start)
  const under = thinkingUnderWay(exh, end);
  const juditBusyMs = exh.juditBusyMs + under.givers.reduce((sum, ms) => sum + ms, 0);
  const sequentialMs = juditBusyMs + exh.opponentThinkMs + under.opponents;
  let movesPlayed = 0;
  for (const b of exh.boards) movesPlayed += b.ply;
  return {
    now,
    elapsedMs,
    juditBusyMs,
    juditWalkMs: exh.juditWalkMs,
    engineLateMoves: exh.engineLateMoves,
    // the givers' average: with one giver, Judit's own share
    juditUtilisation: elapsedMs > 0 ? juditBusyMs / (elapsedMs * exh.config.givers) : 0,
    sequentialMs,
    speedup: elapsedMs > 0 ? sequentialMs / elapsedMs : 0,
    movesPlayed,
    opponentMoves: exh.opponentMoves,
    opponentAvgMs: exh.opponentMoves > 0 ? exh.opponentThinkMs / exh.opponentMoves : null,
    results: tally(exh),
    lesson: lessonFigures(exh, movesPlayed),
    givers: sections(exh.config.boards, exh.config.givers).map(({ giver, from, to }) => {
      const busyMs = (exh.giverBusyMs[giver] ?? 0) + (under.givers[giver] ?? 0);
      return { from, to, busyMs, walkMs: exh.giverWalkMs[giver] ?? 0, utilisation: elapsedMs > 0 ? busyMs / elapsedMs : 0 };
    }),
  };
}

/**
 * The thinking not yet counted at `end`: each opponent's since their move came, as it will be
 * counted at their move, and each giver's at the table where she is thinking, unless she has moved
 * there (up to her think time: a think cut short by a pause is not counted, and she starts it again).
 */
function thinkingUnderWay(exh: Exhibition, end: number): { givers: number[]; opponents: number } {
  if (exh.status !== 'running' && exh.status !== 'paused') return { givers: [], opponents: 0 };
  let opponents = 0;
  for (const b of exh.boards) if (b.opponentToMove) opponents += Math.max(0, end - b.turnSince);
  const givers = exh.givers.map(({ table, activity, since }) => {
    const thinking = exh.status === 'running' && activity === 'thinking' && table !== null && exh.board(table)?.juditToMove;
    return thinking ? Math.min(Math.max(0, end - since), exh.config.thinkSeconds * 1000) : 0;
  });
  return { givers, opponents };
}

function lessonFigures(exh: Exhibition, movesPlayed: number): LessonFigures | null {
  if (exh.opponentMoves === 0 || exh.boards.length === 0) return null;
  const inputs = {
    boards: exh.boards.length,
    juditSeconds: exh.config.thinkSeconds,
    opponentSeconds: exh.opponentThinkMs / exh.opponentMoves / 1000,
    movePairs: movesPlayed / 2 / exh.boards.length,
    walkSeconds: exh.config.walkSeconds,
  };
  const givers = exh.config.givers;
  return { ...inputs, givers, crossoverBoards: crossoverBoards(inputs), idealSeconds: idealSecondsForGivers(inputs, givers) };
}

export function tally(exh: Exhibition): ResultsTally {
  return tallyResults(exh.boards.map((b) => b.end));
}
