import type { Eta, ExhibitionStats, ResultsTally } from '../../shared/domain.js';
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
  };
}

export function tally(exh: Exhibition): ResultsTally {
  const t: ResultsTally = { wins: 0, draws: 0, losses: 0, unfinished: 0 };
  for (const b of exh.boards) {
    const end = b.end;
    if (!end || end.result === '*') t.unfinished++;
    else if (end.winner === 'judit') t.wins++;
    else if (end.winner === 'opponent') t.losses++;
    else t.draws++;
  }
  return t;
}

/**
 * When Judit should reach each unfinished table: the tables she visits first, each costing her think
 * time when she has the move there (her patience otherwise), plus walking, plus what is left of
 * what she is doing now.
 */
export function etas(exh: Exhibition, now: number): Eta[] {
  const { thinkSeconds, patienceSeconds, walkSeconds, order } = exh.config;
  const think = thinkSeconds * 1000;
  const patience = patienceSeconds * 1000;
  const walk = walkSeconds * 1000;
  const open = exh.boards.filter((b) => !b.over);
  if (open.length === 0 || exh.status !== 'running') return [];

  const here = exh.judit.table;
  const busyLeft =
    exh.judit.activity === 'thinking' ? Math.max(0, think - (now - exh.judit.since)) : 0;
  // the queue of tables in the order she will reach them
  let queue = open;
  if (order === 'urgent') {
    queue = [...open].sort((a, b) => Number(b.juditToMove) - Number(a.juditToMove) || a.turnSince - b.turnSince);
  } else if (here !== null) {
    const start = open.findIndex((b) => b.table > here);
    const pivot = start === -1 ? 0 : start;
    queue = [...open.slice(pivot), ...open.slice(0, pivot)];
  }
  const result: Eta[] = [];
  let ms = busyLeft;
  queue.forEach((b, i) => {
    if (b.table === here && exh.judit.activity === 'thinking') {
      result.push({ table: b.table, tablesAhead: 0, ms: 0 });
      return;
    }
    ms += walk;
    result.push({ table: b.table, tablesAhead: i, ms });
    ms += b.juditToMove ? think : patience;
  });
  return result;
}
