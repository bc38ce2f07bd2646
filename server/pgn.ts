import { STANDARD_FEN } from '../shared/chess.js';
import type { EndReason } from '../shared/domain.js';
import type { Board } from './exhibition/board.js';
import type { Exhibition } from './exhibition/exhibition.js';

const TERMINATION: Record<EndReason, string> = {
  checkmate: 'Checkmate',
  stalemate: 'Stalemate',
  threefoldRepetition: 'Threefold repetition',
  fiftyMoveRule: 'Fifty-move rule',
  insufficientMaterial: 'Insufficient material',
  resignation: 'Resignation',
  agreement: 'Draw by agreement',
  forfeitTime: 'Forfeit: move time exceeded',
  forfeitPasses: 'Forfeit: too many passes',
  kicked: 'Forfeit: removed by the host',
  adjudication: 'Adjudication',
  aborted: 'Unterminated',
  abandoned: 'abandoned',
};

function pgnDate(ms: number | null): string {
  if (ms === null) return '????.??.??';
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}.${pad(d.getUTCMonth() + 1)}.${pad(d.getUTCDate())}`;
}

const quote = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/** One game in PGN: the Seven Tag Roster, Termination, the start FEN when not standard, the moves. */
export function boardPgn(exh: Exhibition, board: Board, site: string): string {
  const white = board.juditColor === 'white' ? 'Judit' : board.opponent;
  const black = board.juditColor === 'white' ? board.opponent : 'Judit';
  const result = board.end?.result ?? '*';
  const tags: [string, string][] = [
    ['Event', exh.config.name],
    ['Site', site],
    ['Date', pgnDate(exh.startedAt)],
    ['Round', String(board.table)],
    ['White', white],
    ['Black', black],
    ['Result', result],
  ];
  if (board.end) tags.push(['Termination', TERMINATION[board.end.reason]]);
  if (board.startFen !== STANDARD_FEN) tags.push(['SetUp', '1'], ['FEN', board.startFen]);

  const startsBlack = board.startFen.split(' ')[1] === 'b';
  let number = Number(board.startFen.split(' ')[5] ?? '1');
  const words: string[] = [];
  board.moves.forEach((m, i) => {
    const whiteToMove = (i % 2 === 0) !== startsBlack;
    if (whiteToMove) words.push(`${number}.`);
    else if (i === 0) words.push(`${number}...`);
    words.push(m.san);
    if (!whiteToMove) number++;
  });
  words.push(result);

  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > 79) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  lines.push(line);
  return `${tags.map(([k, v]) => `[${k} "${quote(v)}"]`).join('\n')}\n\n${lines.join('\n')}\n`;
}

export function exhibitionPgn(exh: Exhibition, site: string): string {
  return exh.boards.map((b) => boardPgn(exh, b, site)).join('\n');
}
