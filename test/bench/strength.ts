/**
 * How strong Judit plays on a node budget: average centipawn loss a move against a full-strength
 * reference search over the same positions, per Elo. Calibrates the budgets of
 * server/judit/strength.ts against a full-time search at the same Elo (an engine of her own).
 *
 *   npm run bench:strength [-- --json] [--positions 36] [--reference-nodes 300000]
 *     [--elos 1320,2735,full] [--ladder 5000,20000,80000]   budgets to try instead of the table's ('none': none)
 *     [--movetime 5000]                                      also measure a full-time search
 *
 * Single-threaded and sequential; on a busy machine it is slow but the figures (node counts) do not
 * depend on the CPU. UCI_Elo's weakening is random, so figures move by a few centipawns run to run.
 */
import { Chess } from 'chess.js';
import { STANDARD_FEN } from '../../shared/chess.js';
import { MATE_CP } from '../../server/judit/brain.js';
import { seededRandom } from '../../server/judit/fast-brain.js';
import { StockfishBrain } from '../../server/judit/stockfish-brain.js';
import { FULL_STRENGTH_NODES, nodesForElo } from '../../server/judit/strength.js';

/**
 * Losses of a full-time search (one engine of her own, 5 s a move at that Elo) over the default 36
 * positions against this reference, as `--movetime 5000` measured them on a two-core machine.
 */
const FULL_TIME_LOSS: Record<string, number> = { '1320': 89.1, '2735': 18.3, full: 9.9 };
/** Scores beyond this count as this: a mate missed costs a lot, not a hundred thousand. */
const SCORE_CAP = 1000;

const args = process.argv.slice(2);
const json = args.includes('--json');
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
};
const positionCount = Number(option('positions') ?? 36);
const referenceNodes = Number(option('reference-nodes') ?? 300_000);
const elos = (option('elos') ?? '1320,2735,full').split(',').map((e) => (e === 'full' ? null : Number(e)));
const ladder = option('ladder') === 'none' ? [] : option('ladder')?.split(',').map(Number);
const movetime = option('movetime') === undefined ? null : Number(option('movetime'));

interface Position {
  moves: string[];
  fen: string;
}

interface Row {
  elo: number | 'full';
  nodes: number | null;
  movetimeMs: number | null;
  cpLoss: number;
  fullTimeCpLoss: number | null;
}

const signal = new AbortController().signal;
const reference = new StockfishBrain({ warmupMs: 0 });
const player = new StockfishBrain({ warmupMs: 0 });

/** Positions from openings to endgames: a few seeded random plies, then the engine playing itself. */
async function positions(): Promise<Position[]> {
  const found: Position[] = [];
  for (let seed = 1; found.length < positionCount; seed++) {
    const chess = new Chess();
    const random = seededRandom(seed, 'strength');
    const plies = 8 + Math.floor(random() * 50);
    const moves: string[] = [];
    while (moves.length < plies && !chess.isGameOver()) {
      let uci: string;
      if (moves.length < 4) {
        const legal = chess.moves({ verbose: true });
        const m = legal[Math.floor(random() * legal.length)];
        uci = m.from + m.to + (m.promotion ?? '');
      } else {
        uci = (await player.think({ startFen: STANDARD_FEN, moves, fen: chess.fen(), thinkMs: 60_000, nodes: 5000, elo: null, signal })).move;
      }
      chess.move({ from: uci.slice(0, 2), to: uci.slice(2, 4), promotion: uci[4] });
      moves.push(uci);
    }
    if (!chess.isGameOver()) found.push({ moves, fen: chess.fen() });
  }
  return found;
}

const capped = (cp: number) => Math.max(-SCORE_CAP, Math.min(SCORE_CAP, cp));
const scores = new Map<string, number>();

/** The reference's score for the side to move after `moves`. */
async function score(moves: string[]): Promise<number> {
  const key = moves.join(' ');
  const known = scores.get(key);
  if (known !== undefined) return known;
  const chess = new Chess();
  for (const m of moves) chess.move({ from: m.slice(0, 2), to: m.slice(2, 4), promotion: m[4] });
  let cp: number;
  if (chess.isCheckmate()) cp = -MATE_CP;
  else if (chess.isDraw() || chess.isStalemate()) cp = 0;
  else cp = (await reference.think({ startFen: STANDARD_FEN, moves, fen: chess.fen(), thinkMs: 600_000, nodes: referenceNodes, elo: null, signal })).scoreCp;
  scores.set(key, capped(cp));
  return capped(cp);
}

/** Average loss of the moves played at `elo` with a budget of `nodes` (or for `movetimeMs`). */
async function loss(all: Position[], elo: number | null, nodes: number | null, movetimeMs: number | null): Promise<number> {
  let total = 0;
  for (const p of all) {
    const thought = await player.think({
      startFen: STANDARD_FEN,
      moves: p.moves,
      fen: p.fen,
      thinkMs: movetimeMs ?? 600_000,
      ...(nodes === null ? {} : { nodes }),
      elo,
      signal,
    });
    const best = await score(p.moves);
    const played = -(await score([...p.moves, thought.move]));
    total += Math.max(0, best - played);
  }
  return total / all.length;
}

async function main(): Promise<Row[]> {
  await Promise.all([reference.start(), player.start()]);
  const all = await positions();
  const rows: Row[] = [];
  for (const elo of elos) {
    const key = elo === null ? 'full' : String(elo);
    const budgets = ladder ?? [elo === null ? FULL_STRENGTH_NODES : nodesForElo(elo)];
    const measure = async (nodes: number | null, movetimeMs: number | null) => {
      const cpLoss = await loss(all, elo, nodes, movetimeMs);
      const row: Row = { elo: elo ?? 'full', nodes, movetimeMs, cpLoss, fullTimeCpLoss: FULL_TIME_LOSS[key] ?? null };
      rows.push(row);
      const search = nodes === null ? `movetime ${movetimeMs} ms` : `${nodes} nodes`;
      const compared = `full-time search: ${row.fullTimeCpLoss ?? '?'} cp`;
      if (!json) console.log(`Elo ${String(row.elo).padEnd(5)} ${search}: ${cpLoss.toFixed(1)} cp (${compared})`);
    };
    for (const nodes of budgets) await measure(nodes, null);
    if (movetime !== null) await measure(null, movetime);
  }
  return rows;
}

try {
  if (!json) console.log(`${positionCount} positions, reference ${referenceNodes} nodes at full strength`);
  const rows = await main();
  if (json) console.log(JSON.stringify({ positions: positionCount, referenceNodes, rows }));
} finally {
  await Promise.all([reference.close(), player.close()]);
}
