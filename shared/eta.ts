/**
 * When each giver reaches each table, derived from what every page already holds: the settings,
 * the givers' whereabouts and the seated boards. The server and the player's page compute it alike,
 * so no forecast travels over the wire: the page works its own out again at every redraw.
 */
import type { Color, ExhibitionStatus, Eta, GameEnd, JuditWhereabouts } from './domain.js';
import type { ExhibitionConfig } from './config.js';
import { giverOf } from './givers.js';

/** What a forecast reads of a seated board: the server's boards and a page's summaries both have it. */
export interface EtaBoard {
  readonly table: number;
  readonly end: GameEnd | null;
  readonly turn: Color;
  readonly juditColor: Color;
  readonly turnSince: number;
}

export interface EtaInputs {
  readonly status: ExhibitionStatus;
  readonly config: Pick<ExhibitionConfig, 'boards' | 'givers' | 'thinkSeconds' | 'patienceSeconds' | 'walkSeconds' | 'order'>;
  /** Every giver's whereabouts, Judit's first. */
  readonly givers: readonly JuditWhereabouts[];
  /** The seated boards, in table order. */
  readonly boards: readonly EtaBoard[];
}

const juditToMove = (b: EtaBoard) => b.end === null && b.turn === b.juditColor;

/**
 * When each giver reaches each unfinished table of her section at the latest, for the tables where
 * she has the move: what is left of what she is doing now, then every table she visits first. A table
 * where she has the move costs her a think; one whose opponent has not moved costs her patience and a
 * think (the move may come at its last instant); and a walk to each. She never comes later than this,
 * though often sooner. Where the opponent has not moved, the time is not knowable: ms is null, she
 * comes once they have.
 */
export function etas(x: EtaInputs, now: number): Eta[] {
  if (x.status !== 'running') return [];
  return x.givers.flatMap((_, giver) => giverEtas(x, giver, now));
}

/** The forecast for `table` alone: null when there is none (not running, or the game is over). */
export function etaOf(x: EtaInputs, table: number, now: number): Eta | null {
  if (x.status !== 'running') return null;
  return giverEtas(x, giverOf(table, x.config.boards, x.config.givers), now).find((e) => e.table === table) ?? null;
}

function giverEtas(x: EtaInputs, giver: number, now: number): Eta[] {
  const { thinkSeconds, patienceSeconds, walkSeconds, order, boards, givers } = x.config;
  const think = thinkSeconds * 1000;
  const patience = patienceSeconds * 1000;
  const walk = walkSeconds * 1000;
  const open = x.boards.filter((b) => b.end === null && giverOf(b.table, boards, givers) === giver);
  const whereabouts = x.givers[giver];
  if (open.length === 0 || !whereabouts) return [];

  const { table: here, activity, since } = whereabouts;
  const spent = now - since;
  const walking = activity === 'walking';
  // what is left at the table she is at (or walking to) before she can leave it
  const atHere = here === null ? undefined : open.find((b) => b.table === here);
  let ms = 0;
  if (activity === 'thinking') ms = Math.max(0, think - spent);
  else if (walking) ms = Math.max(0, walk - spent);
  else if (activity === 'waiting') ms = Math.max(0, patience - spent) + think;
  else if (activity === 'resting' && atHere) ms = patience + think;

  // the tables she goes to next, in order
  let path: EtaBoard[];
  if (order === 'urgent') {
    path = open.filter((b) => juditToMove(b) && b.table !== here).sort((a, b) => a.turnSince - b.turnSince);
  } else {
    const start = here === null ? 0 : open.findIndex((b) => b.table > here);
    const pivot = start === -1 ? 0 : start;
    path = [...open.slice(pivot), ...open.slice(0, pivot)].filter((b) => b.table !== here);
  }
  const result: Eta[] = [];
  if (atHere) {
    const arrived = !walking;
    const cost = juditToMove(atHere) ? think : patience + think;
    result.push({ table: atHere.table, giver, tablesAhead: 0, ms: juditToMove(atHere) ? (arrived ? 0 : ms) : null });
    // walking to a table she then plays (or waits at): that comes before every other table
    if (walking) ms += cost;
  }
  let ahead = walking && atHere ? 1 : 0;
  for (const b of path) {
    ms += walk;
    result.push({ table: b.table, giver, tablesAhead: ahead++, ms: juditToMove(b) ? ms : null });
    ms += juditToMove(b) ? think : patience + think;
  }
  return result;
}
