/**
 * The playground's settings: what its sliders set, what its URL carries (so a setting can be shared
 * as a link), and what the simulator and the host form are given.
 */
import type { VisitOrder } from '../../../shared/config.js';
import { MAX_GIVERS } from '../../../shared/givers.js';
import type { LessonInputs } from '../../../shared/lesson.js';
import type { SimulationParams } from '../../../server/simulate/simulate.js';

export interface PlaygroundSettings {
  boards: number;
  juditSeconds: number;
  opponentSeconds: number;
  /** Mixed opponents: each move takes a time drawn evenly from o to o + this. 0: all alike. */
  opponentSpreadSeconds: number;
  movePairs: number;
  walkSeconds: number;
  patienceSeconds: number;
  order: VisitOrder;
  /** Givers at once, each over her own section of the tables. */
  givers: number;
  /** Seconds of exhibition the replay shows per second: 360 plays an hour in ten seconds. */
  speed: number;
}

/** The exhibition's own settings, without the replay's speed. */
export type ExhibitionSettings = Omit<PlaygroundSettings, 'speed'>;

export type NumberKey = Exclude<keyof ExhibitionSettings, 'order'>;

/** One number: its name in the URL, the range the field accepts, and the slider's stretch of it. */
export interface NumberSpec {
  key: NumberKey;
  query: string;
  min: number;
  max: number;
  integer: boolean;
  /** The slider's range (the field takes the whole of min..max) and step. */
  slider: { min: number; max: number; step: number; log?: boolean };
}

/** The classic exhibition: 24 boards, Judit 5 s a move, her opponents 55 s, 30 move pairs. */
export const CLASSIC: PlaygroundSettings = {
  boards: 24,
  juditSeconds: 5,
  opponentSeconds: 55,
  opponentSpreadSeconds: 0,
  movePairs: 30,
  walkSeconds: 0,
  patienceSeconds: 0,
  order: 'table',
  givers: 1,
  speed: 360,
};

/** The ranges the exhibition itself accepts (shared/config.ts) and the simulator's command line. */
export const NUMBERS: Record<NumberKey, NumberSpec> = {
  boards: { key: 'boards', query: 'boards', min: 1, max: 1000, integer: true, slider: { min: 1, max: 1000, step: 1, log: true } },
  juditSeconds: { key: 'juditSeconds', query: 'judit', min: 0.001, max: 600, integer: false, slider: { min: 0.5, max: 60, step: 0.5 } },
  opponentSeconds: { key: 'opponentSeconds', query: 'opponent', min: 0, max: 86_400, integer: false, slider: { min: 0, max: 300, step: 1 } },
  opponentSpreadSeconds: { key: 'opponentSpreadSeconds', query: 'spread', min: 0, max: 86_400, integer: false, slider: { min: 0, max: 120, step: 1 } },
  movePairs: { key: 'movePairs', query: 'moves', min: 1, max: 1000, integer: true, slider: { min: 1, max: 120, step: 1 } },
  walkSeconds: { key: 'walkSeconds', query: 'walk', min: 0, max: 600, integer: false, slider: { min: 0, max: 30, step: 0.5 } },
  patienceSeconds: { key: 'patienceSeconds', query: 'patience', min: 0, max: 600, integer: false, slider: { min: 0, max: 120, step: 1 } },
  givers: { key: 'givers', query: 'givers', min: 1, max: MAX_GIVERS, integer: true, slider: { min: 1, max: MAX_GIVERS, step: 1 } },
};

/** The replay's speeds: seconds of exhibition per second. */
export const SPEEDS: [number, string][] = [
  [60, '1 h in 60 s'],
  [360, '1 h in 10 s'],
  [1800, '1 h in 2 s'],
  [7200, '1 h in ½ s'],
];

const ORDERS: readonly VisitOrder[] = ['table', 'urgent'];

/** Whether `n` is a value the field accepts. */
export function valid(spec: NumberSpec, n: number): boolean {
  return Number.isFinite(n) && n >= spec.min && n <= spec.max && (!spec.integer || Number.isInteger(n));
}

/** The settings a URL carries; anything missing or out of range is the classic value. */
export function fromQuery(query: URLSearchParams): PlaygroundSettings {
  const settings = { ...CLASSIC };
  for (const spec of Object.values(NUMBERS)) {
    const raw = query.get(spec.query);
    const n = raw === null || raw.trim() === '' ? Number.NaN : Number(raw);
    if (valid(spec, n)) settings[spec.key] = n;
  }
  const order = query.get('order');
  if (order !== null && (ORDERS as readonly string[]).includes(order)) settings.order = order as VisitOrder;
  const speed = Number(query.get('speed'));
  if (SPEEDS.some(([s]) => s === speed)) settings.speed = speed;
  return settings;
}

/** The URL query for `settings`: only what differs from the classic, so the classic link is bare. */
export function toQuery(settings: PlaygroundSettings): string {
  const query = new URLSearchParams();
  for (const spec of Object.values(NUMBERS)) {
    if (settings[spec.key] !== CLASSIC[spec.key]) query.set(spec.query, String(settings[spec.key]));
  }
  if (settings.order !== CLASSIC.order) query.set('order', settings.order);
  if (settings.speed !== CLASSIC.speed) query.set('speed', String(settings.speed));
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** What the simulator is asked to run. */
export function simulationParams(s: ExhibitionSettings): SimulationParams {
  return {
    boards: s.boards,
    juditSeconds: s.juditSeconds,
    opponentSeconds: s.opponentSeconds,
    opponentSecondsMax: s.opponentSpreadSeconds > 0 ? s.opponentSeconds + s.opponentSpreadSeconds : null,
    movePairs: s.movePairs,
    walkSeconds: s.walkSeconds,
    patienceSeconds: s.patienceSeconds,
    order: s.order,
    givers: s.givers,
  };
}

/** The lesson's arithmetic for these settings: mixed opponents count at their average. */
export function lessonInputs(s: ExhibitionSettings): LessonInputs {
  return {
    boards: s.boards,
    juditSeconds: s.juditSeconds,
    opponentSeconds: s.opponentSeconds + s.opponentSpreadSeconds / 2,
    movePairs: s.movePairs,
    walkSeconds: s.walkSeconds,
  };
}

/** The host form's URL with the settings an exhibition has (the opponents' times are theirs to take). */
export function hostQuery(s: ExhibitionSettings): string {
  const query = new URLSearchParams({
    boards: String(s.boards),
    thinkSeconds: String(s.juditSeconds),
    walkSeconds: String(s.walkSeconds),
    patienceSeconds: String(s.patienceSeconds),
    order: s.order,
  });
  if (s.givers > 1) query.set('givers', String(s.givers));
  return `?${query.toString()}`;
}

/** A slider's position for a value, and back: the boards slider is logarithmic, 1 to 1,000. */
export const LOG_STEPS = 300;

export function sliderPosition(spec: NumberSpec, value: number): number {
  if (!spec.slider.log) return value;
  const { min, max } = spec.slider;
  const at = Math.log(Math.min(max, Math.max(min, value)) / min) / Math.log(max / min);
  return Math.round(at * LOG_STEPS);
}

export function sliderValue(spec: NumberSpec, position: number): number {
  if (!spec.slider.log) return position;
  const { min, max } = spec.slider;
  const value = min * (max / min) ** (position / LOG_STEPS);
  return spec.integer ? Math.round(value) : value;
}
