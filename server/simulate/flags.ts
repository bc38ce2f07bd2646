/**
 * The simulator's command line, read strictly: plain decimal numbers only (no `0x10`, `1e3` or
 * `Infinity`), each within the range the exhibition itself accepts. A bad value is one plain line
 * naming the flag and its range.
 */
import { parseArgs } from 'node:util';
import type { ClockSetting, JuditColorSetting, VisitOrder } from '../../shared/config.js';
import { MAX_GIVERS } from '../../shared/givers.js';

export class FlagError extends Error {}

export interface Flags {
  boards: number;
  juditSeconds: number;
  opponentSeconds: number;
  opponentSecondsMax: number | null;
  movePairs: number;
  seed: number;
  walkSeconds: number;
  patienceSeconds: number;
  order: VisitOrder;
  maxPasses: number | null;
  moveLimitSeconds: number | null;
  juditColor: JuditColorSetting;
  /** Chess clocks on every board, from `--clock 600+5` and `--giver-extra-seconds`. */
  clock: ClockSetting | null;
  givers: number;
  json: boolean;
  sweep: { from: number; to: number } | null;
  realtime: boolean;
  timeScale: number;
  report: string | null;
  help: boolean;
}

interface NumberFlag {
  min: number;
  max: number;
  integer?: boolean;
  /** The range in words, for the message. */
  range: string;
}

const NUMBERS = {
  boards: { min: 1, max: 1000, integer: true, range: 'a whole number from 1 to 1000' },
  'judit-seconds': { min: 0.001, max: 600, range: 'seconds from 0.001 to 600' },
  'opponent-seconds': { min: 0, max: 86_400, range: 'seconds from 0 to 86400' },
  'opponent-seconds-max': { min: 0, max: 86_400, range: 'seconds from --opponent-seconds to 86400' },
  moves: { min: 1, max: 1000, integer: true, range: 'a whole number of move pairs from 1 to 1000' },
  seed: { min: 0, max: 2 ** 31 - 1, integer: true, range: 'a whole number from 0 to 2147483647' },
  'walk-seconds': { min: 0, max: 600, range: 'seconds from 0 to 600' },
  'patience-seconds': { min: 0, max: 600, range: 'seconds from 0 to 600' },
  'max-passes': { min: 0, max: 10_000, integer: true, range: 'a whole number from 0 to 10000' },
  'move-limit-seconds': { min: 1, max: 86_400, range: 'seconds from 1 to 86400' },
  'time-scale': { min: 0.000001, max: 1, range: 'a factor from 0.000001 to 1' },
  'giver-extra-seconds': { min: 0, max: 864_000, integer: true, range: 'whole seconds from 0 to 864000' },
  givers: { min: 1, max: MAX_GIVERS, integer: true, range: `a whole number from 1 to ${MAX_GIVERS}` },
} satisfies Record<string, NumberFlag>;

type NumberName = keyof typeof NUMBERS;

const CHOICES = {
  order: ['table', 'urgent'],
  'judit-color': ['white', 'black', 'alternate', 'random'],
} as const;

const DECIMAL = /^\d+(\.\d+)?$/;
const WHOLE = /^\d+$/;

export const usage = `usage: npm run simulate -- [--boards N] [--judit-seconds j] [--opponent-seconds o] [--moves M]
                            [--opponent-seconds-max o2] [--walk-seconds w] [--patience-seconds p]
                            [--order table|urgent] [--max-passes k] [--move-limit-seconds s]
                            [--judit-color white|black|alternate|random] [--seed S] [--givers k]
                            [--clock initial+increment [--giver-extra-seconds x]]
                            [--json] [--sweep A..B] [--realtime [--time-scale 0.001]] [--report out.html]`;

function number(values: Record<string, unknown>, name: NumberName, fallback: number): number;
function number(values: Record<string, unknown>, name: NumberName, fallback: null): number | null;
function number(values: Record<string, unknown>, name: NumberName, fallback: number | null): number | null {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const spec: NumberFlag = NUMBERS[name];
  const text = String(raw);
  const n = Number(text);
  if (!(spec.integer ? WHOLE : DECIMAL).test(text) || n < spec.min || n > spec.max) {
    throw new FlagError(`--${name} takes ${spec.range}, not "${text}"`);
  }
  return n;
}

function choice<K extends keyof typeof CHOICES>(values: Record<string, unknown>, name: K): (typeof CHOICES)[K][number] | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const allowed: readonly string[] = CHOICES[name];
  if (!allowed.includes(String(raw))) throw new FlagError(`--${name} takes one of ${allowed.join(', ')}, not "${String(raw)}"`);
  return raw as (typeof CHOICES)[K][number];
}

const VALUE_FLAGS = [...Object.keys(NUMBERS), ...Object.keys(CHOICES), 'sweep', 'report', 'clock'];

/** `--clock 600+5`: whole seconds, the initial time from 1 to 86400, the increment up to 600. */
function clockFlag(values: Record<string, unknown>): ClockSetting | null {
  const extra = number(values, 'giver-extra-seconds', 0);
  if (values.clock === undefined) {
    if (values['giver-extra-seconds'] !== undefined) throw new FlagError('--giver-extra-seconds needs --clock');
    return null;
  }
  const text = String(values.clock);
  const match = /^(\d+)\+(\d+)$/.exec(text);
  const initialSeconds = Number(match?.[1]);
  const incrementSeconds = Number(match?.[2]);
  if (!match || initialSeconds < 1 || initialSeconds > 86_400 || incrementSeconds > 600) {
    throw new FlagError(`--clock takes initial+increment in whole seconds such as 600+5 (1 to 86400, +0 to 600), not "${text}"`);
  }
  return { initialSeconds, incrementSeconds, giverExtraSeconds: extra };
}

/**
 * `--boards -3` would make Node's parser call the value an ambiguous option: a flag that takes a
 * value takes the next word whatever it looks like, so it can be judged and named here.
 */
function joinValues(args: string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith('--') ? args[i].slice(2) : null;
    if (name !== null && VALUE_FLAGS.includes(name) && i + 1 < args.length) joined.push(`${args[i]}=${args[++i]}`);
    else joined.push(args[i]);
  }
  return joined;
}

export function parseFlags(args: string[]): Flags {
  let values: Record<string, unknown>;
  try {
    const options = Object.fromEntries(VALUE_FLAGS.map((name) => [name, { type: 'string' as const }]));
    values = parseArgs({
      args: joinValues(args),
      options: {
        ...options,
        json: { type: 'boolean' },
        realtime: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    // Node's own words for an unknown flag or a missing value, on one line
    throw new FlagError(error instanceof Error ? error.message.split('\n')[0] : String(error));
  }
  const opponentSeconds = number(values, 'opponent-seconds', 55);
  const opponentSecondsMax = number(values, 'opponent-seconds-max', null);
  if (opponentSecondsMax !== null && opponentSecondsMax < opponentSeconds) {
    throw new FlagError(`--opponent-seconds-max takes ${NUMBERS['opponent-seconds-max'].range}, not "${String(values['opponent-seconds-max'])}"`);
  }
  let sweep: Flags['sweep'] = null;
  if (values.sweep !== undefined) {
    const match = /^(\d+)\.\.(\d+)$/.exec(String(values.sweep));
    const from = Number(match?.[1]);
    const to = Number(match?.[2]);
    if (!match || from < 1 || to < from || to > 1000) throw new FlagError(`--sweep takes a range of boards within 1..1000 such as 1..40, not "${String(values.sweep)}"`);
    sweep = { from, to };
  }
  return {
    boards: number(values, 'boards', 24),
    juditSeconds: number(values, 'judit-seconds', 5),
    opponentSeconds,
    opponentSecondsMax,
    movePairs: number(values, 'moves', 30),
    seed: number(values, 'seed', 1),
    walkSeconds: number(values, 'walk-seconds', 0),
    patienceSeconds: number(values, 'patience-seconds', 0),
    order: choice(values, 'order') ?? 'table',
    maxPasses: number(values, 'max-passes', null),
    moveLimitSeconds: number(values, 'move-limit-seconds', null),
    juditColor: choice(values, 'judit-color') ?? 'white',
    clock: clockFlag(values),
    givers: number(values, 'givers', 1),
    json: values.json === true,
    sweep,
    realtime: values.realtime === true,
    timeScale: number(values, 'time-scale', 0.001),
    report: values.report === undefined ? null : String(values.report),
    help: values.help === true,
  };
}
