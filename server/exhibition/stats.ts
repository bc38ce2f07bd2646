import type { Eta, ExhibitionStats, LessonFigures, ResultsTally } from '../../shared/domain.js';
import { tallyResults } from '../../shared/results.js';
import { sections } from '../../shared/givers.js';
import { crossoverBoards, idealSecondsForGivers } from '../../shared/lesson.js';
import type { Board } from './board.js';
import type { Exhibition } from './exhibition.js';

/** The live figures of the lesson: how much faster table-to-table is than one game after another. */
export function computeStats(exh: Exhibition, now: number): ExhibitionStats {
  const started = exh.startedAt;
  const end = exh.finishedAt ?? exh.pausedAt ?? now;
  const elapsedMs = started === null ? 0 : Math.max(0, end - started - exh.pausedMs);
  const sequentialMs = exh.juditBusyMs + exh.opponentThinkMs;
  let movesPlayed = 0;
  for (const b of exh.boards) movesPlayed += b.ply;
  return {
    now,
    elapsedMs,
    juditBusyMs: exh.juditBusyMs,
    juditWalkMs: exh.juditWalkMs,
    engineLateMoves: exh.engineLateMoves,
    // the givers' average: with one giver, Judit's own share
    juditUtilisation: elapsedMs > 0 ? exh.juditBusyMs / (elapsedMs * exh.config.givers) : 0,
    sequentialMs,
    speedup: elapsedMs > 0 ? sequentialMs / elapsedMs : 0,
    movesPlayed,
    opponentMoves: exh.opponentMoves,
    opponentAvgMs: exh.opponentMoves > 0 ? exh.opponentThinkMs / exh.opponentMoves : null,
    results: tally(exh),
    lesson: lessonFigures(exh, movesPlayed),
    givers: sections(exh.config.boards, exh.config.givers).map(({ giver, from, to }) => {
      const busyMs = exh.giverBusyMs[giver] ?? 0;
      return { from, to, busyMs, walkMs: exh.giverWalkMs[giver] ?? 0, utilisation: elapsedMs > 0 ? busyMs / elapsedMs : 0 };
    }),
  };
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

/**
 * When each giver reaches each unfinished table of her section at the latest, for the tables where
 * she has the move: what is left of what she is doing now, then every table she visits first. A table
 * where she has the move costs her a think; one whose opponent has not moved costs her patience and a
 * think (the move may come at its last instant); and a walk to each. She never comes later than this,
 * though often sooner. Where the opponent has not moved, the time is not knowable: ms is null, she
 * comes once they have.
 */
export function etas(exh: Exhibition, now: number): Eta[] {
  if (exh.status !== 'running') return [];
  return exh.givers.flatMap((_, giver) => giverEtas(exh, giver, now));
}

function giverEtas(exh: Exhibition, giver: number, now: number): Eta[] {
  const { thinkSeconds, patienceSeconds, walkSeconds, order } = exh.config;
  const think = thinkSeconds * 1000;
  const patience = patienceSeconds * 1000;
  const walk = walkSeconds * 1000;
  const open = exh.section(giver).filter((b) => !b.over);
  if (open.length === 0) return [];

  const { table: here, activity, since } = exh.givers[giver];
  const spent = now - since;
  const walking = activity === 'walking';
  // what is left at the table she is at (or walking to) before she can leave it
  let ms = 0;
  const atHere = here === null ? undefined : exh.board(here);
  if (activity === 'thinking') ms = Math.max(0, think - spent);
  else if (walking) ms = Math.max(0, walk - spent);
  else if (activity === 'waiting') ms = Math.max(0, patience - spent) + think;
  else if (activity === 'resting' && atHere && !atHere.over) ms = patience + think;

  // the tables she goes to next, in order
  let path: Board[];
  if (order === 'urgent') {
    path = open.filter((b) => b.juditToMove && b.table !== here).sort((a, b) => a.turnSince - b.turnSince);
  } else {
    const start = here === null ? 0 : open.findIndex((b) => b.table > here);
    const pivot = start === -1 ? 0 : start;
    path = [...open.slice(pivot), ...open.slice(0, pivot)].filter((b) => b.table !== here);
  }
  const result: Eta[] = [];
  if (atHere && !atHere.over) {
    const arrived = !walking;
    const cost = atHere.juditToMove ? think : patience + think;
    result.push({ table: here!, giver, tablesAhead: 0, ms: atHere.juditToMove ? (arrived ? 0 : ms) : null });
    // walking to a table she then plays (or waits at): that comes before every other table
    if (walking) ms += cost;
  }
  let ahead = walking && atHere && !atHere.over ? 1 : 0;
  for (const b of path) {
    ms += walk;
    result.push({ table: b.table, giver, tablesAhead: ahead++, ms: b.juditToMove ? ms : null });
    ms += b.juditToMove ? think : patience + think;
  }
  return result;
}
