import type { GameEnd, ResultsTally } from './domain.js';

/** Judit's score from the games' endings: one count, the same on the server and in the browser. */
export function tallyResults(ends: Iterable<GameEnd | null>): ResultsTally {
  const t: ResultsTally = { wins: 0, draws: 0, losses: 0, unfinished: 0 };
  for (const end of ends) {
    if (!end || end.result === '*') t.unfinished++;
    else if (end.winner === 'judit') t.wins++;
    else if (end.winner === 'opponent') t.losses++;
    else t.draws++;
  }
  return t;
}
