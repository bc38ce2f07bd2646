/** Words and numbers as people read them: durations, results, statuses. */
import type { ExhibitionStatus, ExhibitionSummary, GameEnd, JuditActivity, ResultsTally } from '../../shared/domain.js';

/** 0:42, 12:05, 1:02:33. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** "about 12 s", "about 3 min": a forecast, never falsely precise. */
export function about(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 1) return 'any moment';
  if (s < 90) return `about ${s} s`;
  const m = Math.round(s / 60);
  if (m < 90) return `about ${m} min`;
  return `about ${(s / 3600).toFixed(1)} h`;
}

/** 3 s, 0.5 s, 2 min. */
export function seconds(s: number): string {
  if (s >= 120 && s % 60 === 0) return `${s / 60} min`;
  return `${Number(s.toFixed(3))} s`;
}

export function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

export function speedup(x: number): string {
  if (!Number.isFinite(x) || x <= 0) return '—';
  return `${x >= 10 ? x.toFixed(0) : x.toFixed(1)}×`;
}

export const statusLabel: Record<ExhibitionStatus, string> = {
  open: 'Open',
  running: 'Playing',
  paused: 'Paused',
  finished: 'Finished',
  aborted: 'Ended',
};

/** A lobby card's status word: an exhibition ended for want of anyone attending says so. */
export function summaryStatusLabel(x: Pick<ExhibitionSummary, 'status' | 'stoppedAs'>): string {
  return x.stoppedAs === 'abandoned' ? 'Abandoned' : statusLabel[x.status];
}

export const activityLabel: Record<JuditActivity, string> = {
  idle: 'idle',
  walking: 'walking',
  thinking: 'thinking',
  waiting: 'waiting',
  resting: 'resting',
};

/** +W =D −L from Judit's side. */
export function tally(t: ResultsTally): string {
  return `+${t.wins} =${t.draws} −${t.losses}`;
}

export function strength(elo: number | null): string {
  return elo === null ? 'full strength' : `rated ${elo}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Why the game ended, in a sentence; `opponent` names the human player ("you" on their own page),
 * `giver` the giver of that board (Judit, or the sister whose section it is in).
 */
export function endReason(end: GameEnd, opponent: string, giver = 'Judit'): string {
  const winner = end.winner === 'judit' ? giver : opponent;
  const loser = end.winner === 'judit' ? opponent : giver;
  const you = opponent === 'you';
  switch (end.reason) {
    case 'checkmate':
      return `${capital(winner)} won by checkmate.`;
    case 'resignation':
      return `${capital(loser)} resigned.`;
    case 'agreement':
      return 'Draw by agreement.';
    case 'stalemate':
      return 'Draw by stalemate.';
    case 'threefoldRepetition':
      return 'Draw by threefold repetition.';
    case 'fiftyMoveRule':
      return 'Draw by the fifty-move rule.';
    case 'insufficientMaterial':
      return 'Draw: not enough material to mate.';
    case 'forfeitTime':
      return `${capital(opponent)} ${you ? 'were' : 'was'} out of time for a move.`;
    case 'flag':
      return `${capital(loser)} lost on time: the flag fell.`;
    case 'forfeitPasses':
      return `${capital(opponent)} forfeited: ${giver} passed too often without a move.`;
    case 'kicked':
      return `${capital(opponent)} ${you ? 'were' : 'was'} removed by the host.`;
    case 'adjudication':
      return end.winner ? `Adjudicated: ${capital(winner)} wins.` : 'Adjudicated a draw.';
    case 'aborted':
      return 'Unfinished: the exhibition was ended.';
    case 'engineFailure':
      return `Unfinished: ${giver}’s chess engine failed in this position.`;
    case 'abandoned':
      return 'Unfinished: the exhibition was abandoned.';
    default: {
      const unknown: never = end.reason;
      return String(unknown);
    }
  }
}

/** The headline of a finished game from a spectator's side. */
export function endHeadline(end: GameEnd, opponent: string, giver = 'Judit'): string {
  if (end.result === '*') return 'Unfinished';
  if (end.winner === null) return 'Draw';
  return end.winner === 'judit' ? `${giver} wins` : `${opponent} wins`;
}

/** The headline on the player's own board. */
export function endHeadlineForYou(end: GameEnd, giver = 'Judit'): string {
  if (end.result === '*') return 'Game unfinished';
  if (end.winner === null) return 'Draw';
  return end.winner === 'opponent' ? 'You won!' : `${giver} won`;
}

export function resultText(end: GameEnd): string {
  return end.result === '1/2-1/2' ? '½–½' : end.result === '*' ? '*' : end.result.replace('-', '–');
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A length of time in words: "42 s", "3 min 05 s", "12 min", "1 h 01 min". */
export function duration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  if (total < 60) return `${total} s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  const s = total % 60;
  return m < 10 ? `${m} min ${String(s).padStart(2, '0')} s` : `${m} min`;
}

/** A figure with one decimal, whole numbers without: "12", "4.3". */
export function decimal(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

/** Who Judit is and how strong: the same sentence wherever a visitor decides to play her. */
export function engineLine(elo: number | null, thinkSeconds: number): string {
  const level = elo === null ? 'at full strength' : `set to play at ${elo} Elo`;
  return `Judit is the Stockfish chess engine, ${level}, thinking ${seconds(thinkSeconds)} a move.`;
}
