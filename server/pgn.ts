import { giverName } from '../shared/givers.js';
import { Chess } from 'chess.js';
import { parseUci } from '../shared/chess.js';
import type { EndReason } from '../shared/domain.js';
import type { Board } from './exhibition/board.js';
import type { Exhibition } from './exhibition/exhibition.js';

/** The standard Termination value of each ending, and its detail for the comment after the moves. */
const TERMINATION: Record<EndReason, [termination: string, detail: string]> = {
  checkmate: ['normal', 'Checkmate'],
  stalemate: ['normal', 'Stalemate'],
  threefoldRepetition: ['normal', 'Threefold repetition'],
  fiftyMoveRule: ['normal', 'Fifty-move rule'],
  insufficientMaterial: ['normal', 'Insufficient material'],
  resignation: ['normal', 'Resignation'],
  agreement: ['normal', 'Draw by agreement'],
  forfeitTime: ['time forfeit', 'Forfeit: move time exceeded'],
  flag: ['time forfeit', 'Time forfeit: the flag fell'],
  forfeitPasses: ['time forfeit', 'Forfeit: too many passes'],
  kicked: ['rules infraction', 'Forfeit: removed by the host'],
  adjudication: ['adjudication', 'Adjudication'],
  aborted: ['unterminated', 'The exhibition was ended'],
  abandoned: ['abandoned', 'Nobody attended the exhibition'],
  engineFailure: ['unterminated', 'Judit’s engine failed in this position'],
};

function pgnDate(ms: number | null): string {
  if (ms === null) return '????.??.??';
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}.${pad(d.getUTCMonth() + 1)}.${pad(d.getUTCDate())}`;
}

/** Words into lines of at most `width` characters (a longer word stands alone). */
function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join('\n');
}

/** A clock's time left as the `%clk` command writes it: h:mm:ss, whole seconds. */
function clk(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

/**
 * A tag value as the PGN standard writes it: backslash and quote escaped (chess.js writes values as
 * given), and on one line whatever an older data file holds.
 */
const tagValue = (s: string) =>
  s
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"');

/** One game in PGN: the Seven Tag Roster, Termination, the start FEN when not standard, the moves. */
export function boardPgn(exh: Exhibition, board: Board, site: string): string {
  const game = new Chess(board.startFen); // sets SetUp and FEN when the start is not standard
  for (const m of board.moves) {
    game.move(parseUci(m.uci)!);
    if (m.clockMs !== undefined) game.setComment(`[%clk ${clk(m.clockMs)}]`);
  }
  const juditWhite = board.juditColor === 'white';
  const giver = giverName(exh.giverOf(board.table)); // Judit, or the sister who walks this table's section
  game.header(
    'Event', tagValue(exh.config.name),
    'Site', tagValue(site),
    'Date', pgnDate(exh.startedAt),
    'Round', String(board.table),
    'White', tagValue(juditWhite ? giver : board.opponent),
    'Black', tagValue(juditWhite ? board.opponent : giver),
    'Result', board.end?.result ?? '*',
  );
  const clock = exh.config.clock;
  // the opponent's time control; Judit's extra time shows in her %clk comments
  if (clock) game.header('TimeControl', `${clock.initialSeconds}+${clock.incrementSeconds}`);
  if (board.end) {
    const [termination, detail] = TERMINATION[board.end.reason];
    game.header('Termination', termination);
    game.setComment([game.getComment(), detail].filter(Boolean).join(' '));
  }
  // the movetext comes as one last line, wrapped here: chess.js's own wrapping drops the space after a comment
  const text = game.pgn();
  const cut = text.lastIndexOf('\n');
  return `${text.slice(0, cut).trimEnd()}\n\n${wrap(text.slice(cut + 1), 79)}\n`;
}

export function exhibitionPgn(exh: Exhibition, site: string): string {
  return exh.boards.map((b) => boardPgn(exh, b, site)).join('\n');
}
