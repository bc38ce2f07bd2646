/**
 * Judit's strength as a node budget: with UCI_Elo set, a search of this many nodes loses as many
 * centipawns a move as a search of her whole think time (5 s) did with an engine of her own, within
 * the measure's noise (`npm run bench:strength`, 36 positions; the README has the figures):
 *
 *   Elo 1320: 4,000 nodes, 79.5–82.1 cp over two runs (full-time search 89.1)
 *   Elo 2735: 30,000 nodes, 22–37 cp over three runs (full-time search 18.3)
 *   full strength: 120,000 nodes, 10.4–11.9 cp (full-time search 9.9)
 *
 * Between two rows the budget is interpolated on a log scale.
 */
export interface StrengthRow {
  elo: number;
  nodes: number;
}

export const STRENGTH_TABLE: readonly StrengthRow[] = [
  { elo: 1320, nodes: 4_000 },
  { elo: 2735, nodes: 30_000 },
];

/** Full strength (no UCI_Elo): the budget whose loss matches a full-time search's. */
export const FULL_STRENGTH_NODES = 120_000;

export function nodesForElo(elo: number | null): number {
  if (elo === null) return FULL_STRENGTH_NODES;
  const first = STRENGTH_TABLE[0];
  const last = STRENGTH_TABLE[STRENGTH_TABLE.length - 1];
  if (elo <= first.elo) return first.nodes;
  if (elo >= last.elo) return last.nodes;
  const upper = STRENGTH_TABLE.findIndex((row) => row.elo >= elo);
  const a = STRENGTH_TABLE[upper - 1];
  const b = STRENGTH_TABLE[upper];
  const t = (elo - a.elo) / (b.elo - a.elo);
  return Math.round(a.nodes * (b.nodes / a.nodes) ** t);
}
