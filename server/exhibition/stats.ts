import type { Eta, ExhibitionStats, LessonFigures, ResultsTally } from '../../shared/domain.js';
import { tallyResults } from '../../shared/results.js';
import { crossoverBoards, idealSeconds } from '../../shared/lesson.js';
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
    juditUtilisation: elapsedMs > 0 ? exh.juditBusyMs / elapsedMs : 0,
    sequentialMs,
    speedup: elapsedMs > 0 ? sequentialMs / elapsedMs : 0,
    movesPlayed,
    opponentMoves: exh.opponentMoves,
    opponentAvgMs: exh.opponentMoves > 0 ? exh.opponentThinkMs / exh.opponentMoves : null,
    results: tally(exh),
    lesson: lessonFigures(exh, movesPlayed),
  };
}

function lessonFigures(exh: Exhibition, movesPlayed: number): LessonFigures | null {
  if (exh.opponentMoves === 0 || exh.boards.length === 0) return null;
  const inputs = {
    boards: exh.boards.length,
    juditSeconds: exh.config.thinkSeconds,
    opponentSeconds: exh.opponentThinkMs / exh.opponentMoves / 1000,
    movePairs: movesPlayed / 2 / exh.boards.length,
  };
  return { ...inputs, crossoverBoards: crossoverBoards(inputs), idealSeconds: idealSeconds(inputs) };
}

export function tally(exh: Exhibition): ResultsTally {
  return tallyResults(exh.boards.map((b) => b.end));
}

/**
 * When Judit should reach each unfinished table: what is left of what she is doing now (a think, her
 * patience, or the walk to the table she is heading for), then the tables she visits first, each
 * costing her think time when she has the move there (her patience otherwise), plus walking.
 */
export function etas(exh: Exhibition, now: number): Eta[] {
  const { thinkSeconds, patienceSeconds, walkSeconds, order } = exh.config;
  const think = thinkSeconds * 1000;
  const patience = patienceSeconds * 1000;
  const walk = walkSeconds * 1000;
  const open = exh.boards.filter((b) => !b.over);
  if (open.length === 0 || exh.status !== 'running') return [];

  const { table: here, activity, since } = exh.judit;
  const spent = now - since;
  const cost = (b: (typeof open)[number]) => (b.juditToMove ? think : patience);
  // at the table she is thinking or waiting at, she is there already
  const atHere = activity === 'thinking' || activity === 'waiting';
  const walking = activity === 'walking';
  // the queue of tables in the order she will reach them
  let queue = open;
  if (order === 'urgent') {
    queue = [...open].sort((a, b) => Number(b.juditToMove) - Number(a.juditToMove) || a.turnSince - b.turnSince);
  } else if (here !== null) {
    // the table she walks to comes first; one she is at or has left comes last
    const start = open.findIndex((b) => (walking ? b.table >= here : b.table > here));
    const pivot = start === -1 ? 0 : start;
    queue = [...open.slice(pivot), ...open.slice(0, pivot)];
  }
  const result: Eta[] = [];
  let ms = activity === 'thinking' ? Math.max(0, think - spent) : activity === 'waiting' ? Math.max(0, patience - spent) : 0;
  let ahead = 0;
  for (const b of queue) {
    if (b.table === here && atHere) {
      result.push({ table: b.table, tablesAhead: 0, ms: 0 });
      continue;
    }
    ms += b.table === here && walking ? Math.max(0, walk - spent) : walk;
    result.push({ table: b.table, tablesAhead: ahead++, ms });
    ms += cost(b);
  }
  return result;
}
