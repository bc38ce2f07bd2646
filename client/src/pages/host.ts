/** Hosting: every setting of an exhibition, checked as you type with the server's own schema. */
import { type ClockSetting, DESCRIPTION_MAX, type ExhibitionConfig, exhibitionConfigSchema } from '../../../shared/config.js';
import { giverName, MAX_GIVERS } from '../../../shared/givers.js';
import { createExhibition } from '../api.js';
import { h, replace, setText } from '../dom.js';
import { keepHostKey } from '../keyring.js';
import { type Page, type PageContext, setTitle } from '../page.js';
import { explain } from '../problem.js';
import { navigate, paths } from '../router.js';
import { Prediction } from '../view/prediction.js';

type ClockKey = keyof ClockSetting;
/** A setting, or one part of the clock (`clock.initialSeconds`). */
type Key = Exclude<keyof ExhibitionConfig, 'clock'> | `clock.${ClockKey}`;

/** Defaults for the clock's parts while the exhibition has none: 10 minutes + 5 s, Judit 50 minutes more. */
const CLOCK_FALLBACK: ClockSetting = { initialSeconds: 600, incrementSeconds: 5, giverExtraSeconds: 3000 };

interface FieldSpec {
  key: Key;
  label: string;
  hint: string;
  kind: 'text' | 'textarea' | 'int' | 'number' | 'select';
  unit?: string;
  step?: number;
  options?: [string, string][];
  /** A checkbox that sets the value to null, and the value to offer when it is unticked. */
  none?: { label: string; fallback: number };
}

const GROUPS: { title: string; fields: FieldSpec[] }[] = [
  {
    title: 'The exhibition',
    fields: [
      { key: 'name', label: 'Name', hint: 'Shown in the lobby and on every board.', kind: 'text' },
      { key: 'boards', label: 'Boards', hint: 'How many opponents can take a seat.', kind: 'int' },
      { key: 'description', label: 'Description', hint: 'Plain text for the lobby and the spectators; web addresses become links.', kind: 'textarea' },
      { key: 'approval', label: 'Who sits down', hint: 'Whether you accept each player before they take a seat.', kind: 'select', options: [['false', 'Anyone with the link'], ['true', 'Players you accept']] },
      { key: 'lateJoin', label: 'Late join', hint: 'Whether players may take a free table once it has started.', kind: 'select', options: [['false', 'Seats close at the start'], ['true', 'Latecomers take free tables']] },
      {
        key: 'juditColor',
        label: 'Judit plays',
        hint: 'Her colour on every board.',
        kind: 'select',
        options: [
          ['white', 'White on every board'],
          ['black', 'Black on every board'],
          ['alternate', 'Alternating: white on odd tables'],
          ['choose', 'Each player chooses at their seat'],
          ['random', 'Drawn at random for each table'],
        ],
      },
    ],
  },
  {
    title: 'Judit',
    fields: [
      { key: 'thinkSeconds', label: 'Think time per move', hint: 'How long she thinks at a table before she moves.', kind: 'number', unit: 's', step: 0.1 },
      {
        key: 'givers',
        label: 'Givers',
        hint: 'Several at once split the tables into sections, one each, and play in parallel: Judit, Zsuzsa, Zsófia, then numbered.',
        kind: 'select',
        options: Array.from({ length: MAX_GIVERS }, (_, i): [string, string] => [String(i + 1), i === 0 ? 'Judit alone' : `${i + 1}: ${Array.from({ length: i + 1 }, (_, g) => giverName(g)).join(', ')}`]),
      },
      {
        key: 'elo',
        label: 'Strength (Elo)',
        hint: 'Her playing strength, from 1320 to 3190.',
        kind: 'int',
        none: { label: 'Full strength', fallback: 2735 },
      },
      {
        key: 'order',
        label: 'Visiting order',
        hint: 'Which table she goes to next.',
        kind: 'select',
        options: [
          ['table', 'Table order, round and round'],
          ['urgent', 'The board that has waited longest'],
        ],
      },
      { key: 'walkSeconds', label: 'Walk between tables', hint: 'Time to walk from one table to the next.', kind: 'number', unit: 's', step: 0.5 },
      { key: 'patienceSeconds', label: 'Patience at a table', hint: 'How long she waits for an opponent’s move before walking on.', kind: 'number', unit: 's', step: 0.5 },
    ],
  },
  {
    title: 'Opponents',
    fields: [
      {
        key: 'opponentMoveLimitSeconds',
        label: 'Time limit per move',
        hint: 'Past it, the opponent forfeits the game.',
        kind: 'number',
        unit: 's',
        step: 1,
        none: { label: 'No limit', fallback: 120 },
      },
      {
        key: 'maxPasses',
        label: 'Passes allowed',
        hint: 'Times Judit may find an opponent not ready before the game is forfeited.',
        kind: 'int',
        none: { label: 'No limit', fallback: 10 },
      },
    ],
  },
  {
    title: 'Clocks',
    fields: [
      {
        key: 'clock.initialSeconds',
        label: 'Time per game',
        hint: 'Each side’s clock at the start: 600 s is ten minutes.',
        kind: 'int',
        unit: 's',
        none: { label: 'No clocks', fallback: CLOCK_FALLBACK.initialSeconds },
      },
      { key: 'clock.incrementSeconds', label: 'Increment', hint: 'Added to the mover’s clock after each move.', kind: 'int', unit: 's' },
      {
        key: 'clock.giverExtraSeconds',
        label: 'Judit’s extra time',
        hint: 'On top, on every board: her clocks run in parallel, so she needs about as many times one game’s time as there are boards.',
        kind: 'int',
        unit: 's',
      },
    ],
  },
  {
    title: 'Draws and resignation',
    fields: [
      { key: 'drawMinMove', label: 'Draw offers from move', hint: 'Judit accepts no draw before this move.', kind: 'int' },
      { key: 'drawMaxCp', label: 'Draw margin', hint: 'She accepts when her evaluation is within this many centipawns of level.', kind: 'int', unit: 'cp' },
      {
        key: 'resignCp',
        label: 'Judit resigns at',
        hint: 'When her evaluation stays this many centipawns below zero…',
        kind: 'int',
        unit: 'cp',
        none: { label: 'Never resigns', fallback: 700 },
      },
      { key: 'resignAfterMoves', label: '…for this many moves', hint: 'Her moves in a row at or below that evaluation.', kind: 'int' },
    ],
  },
];

const DEFAULT_BOARDS = 8;

interface Field {
  spec: FieldSpec;
  input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  none: HTMLInputElement | null;
  error: HTMLElement;
  touched: boolean;
}

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  expected?: string;
}

export function hostPage({ root, url }: PageContext): Page {
  setTitle('Host an exhibition');
  const defaults = linked(url, exhibitionConfigSchema.parse({ boards: DEFAULT_BOARDS }));
  const fields = new Map<Key, Field>();
  let submitted = false;
  let sending = false;

  const formError = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const prediction = new Prediction();
  const submit = h('button', { class: 'btn btn-primary btn-large', type: 'submit' }, 'Create exhibition');

  const form = h(
    'form',
    { class: 'host-form', novalidate: true, 'aria-label': 'New exhibition' },
    h(
      'div',
      { class: 'fieldsets' },
      GROUPS.map((group) => h('fieldset', { class: 'panel' }, h('legend', null, group.title), group.fields.map((spec) => field(spec)))),
    ),
    prediction.el,
    h('div', { class: 'form-footer' }, formError, submit),
  );

  function field(spec: FieldSpec): HTMLElement {
    const id = `f-${spec.key.replace('.', '-')}`;
    const value = defaultOf(defaults, spec.key);
    let input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
    if (spec.kind === 'select') {
      input = h(
        'select',
        { id, name: spec.key },
        (spec.options ?? []).map(([v, label]) => h('option', { value: v, selected: v === String(value) }, label)),
      );
    } else if (spec.kind === 'textarea') {
      input = h('textarea', { id, name: spec.key, rows: 3, maxlength: DESCRIPTION_MAX, 'aria-describedby': `${id}-hint ${id}-error` });
      input.value = String(value ?? '');
    } else {
      input = h('input', {
        id,
        name: spec.key,
        type: spec.kind === 'text' ? 'text' : 'number',
        inputmode: spec.kind === 'int' ? 'numeric' : spec.kind === 'number' ? 'decimal' : null,
        step: spec.kind === 'int' ? 1 : spec.kind === 'number' ? 'any' : null,
        autocomplete: 'off',
        value: value === null ? String(spec.none?.fallback ?? '') : String(value),
        'aria-describedby': `${id}-hint ${id}-error`,
      });
    }
    let none: HTMLInputElement | null = null;
    if (spec.none) {
      none = h('input', { type: 'checkbox', id: `${id}-none`, checked: value === null });
      input.disabled = value === null;
      none.addEventListener('change', () => {
        input.disabled = none!.checked;
        if (!none!.checked) input.focus();
        changed(spec.key);
      });
    }
    const error = h('p', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' });
    fields.set(spec.key, { spec, input, none, error, touched: false });
    if (spec.key === 'clock.initialSeconds') none?.addEventListener('change', () => clockParts(!none!.checked));
    input.addEventListener('input', () => changed(spec.key));
    input.addEventListener('change', () => changed(spec.key));
    input.addEventListener('blur', () => changed(spec.key));
    const control = h(
      'div',
      { class: 'control' },
      input,
      spec.unit ? h('span', { class: 'unit' }, spec.unit) : null,
      none ? h('label', { class: 'none', for: none.id }, none, spec.none!.label) : null,
    );
    return h(
      'div',
      { class: 'field', 'data-field': spec.key },
      h('label', { for: id }, spec.label),
      control,
      h('p', { class: 'hint', id: `${id}-hint` }, spec.hint),
      error,
    );
  }

  /** The form as the schema's input: numbers as numbers (NaN when not one), null where ticked. */
  function read(): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    const clock: Record<string, unknown> = {};
    for (const [key, f] of fields) {
      let value: unknown;
      if (f.none?.checked) value = null;
      else if (key === 'lateJoin' || key === 'approval') value = f.input.value === 'true';
      else if (key === 'givers') value = Number(f.input.value);
      else if (f.spec.kind === 'text' || f.spec.kind === 'textarea' || f.spec.kind === 'select') value = f.input.value;
      else value = f.input.value.trim() === '' ? Number.NaN : Number(f.input.value);
      if (key.startsWith('clock.')) clock[key.slice('clock.'.length)] = value;
      else raw[key] = value;
    }
    raw.clock = clock.initialSeconds === null ? null : clock;
    return raw;
  }

  function validate(): ExhibitionConfig | null {
    const parsed = exhibitionConfigSchema.safeParse(read());
    const errors = new Map<Key, string>();
    if (!parsed.success) {
      for (const issue of parsed.error.issues as Issue[]) {
        const key = issue.path.slice(0, 2).join('.') as Key;
        const f = fields.get(key);
        if (f && !errors.has(key)) errors.set(key, friendly(issue, f.spec));
      }
    }
    for (const [key, f] of fields) {
      const message = f.touched || submitted ? (errors.get(key) ?? '') : '';
      setText(f.error, message);
      f.input.setAttribute('aria-invalid', String(message !== ''));
      f.input.closest('.field')?.classList.toggle('invalid', message !== '');
    }
    prediction.update(parsed.success ? parsed.data : null);
    return parsed.success ? parsed.data : null;
  }

  /** The increment and Judit's extra time count only with clocks. */
  function clockParts(on: boolean): void {
    for (const key of ['clock.incrementSeconds', 'clock.giverExtraSeconds'] as const) {
      const f = fields.get(key);
      if (f) f.input.disabled = !on;
    }
  }

  function changed(key: Key): void {
    const f = fields.get(key);
    if (f) f.touched = true;
    formError.hidden = true;
    validate();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (sending) return;
    submitted = true;
    const config = validate();
    if (!config) {
      form.querySelector<HTMLElement>('.field.invalid input, .field.invalid select')?.focus();
      return;
    }
    sending = true;
    submit.disabled = true;
    setText(submit, 'Creating…');
    void createExhibition(config).then((reply) => {
      sending = false;
      submit.disabled = false;
      setText(submit, 'Create exhibition');
      if (!reply.ok) {
        formError.hidden = false;
        setText(formError, `The exhibition could not be created. ${explain(reply.error)}`);
        return;
      }
      const { id, hostKey } = reply.value;
      keepHostKey(id, hostKey);
      navigate(paths.console(id, hostKey));
    });
  });

  replace(
    root,
    h(
      'div',
      { class: 'page host' },
      h(
        'header',
        { class: 'page-head' },
        h('h1', null, 'Host an exhibition'),
        h('p', { class: 'lede' }, 'Set the rules, create it, then share the invitation. You start the exhibition when your opponents are seated.'),
        h('p', { class: 'hint' }, 'How long will it take? ', h('a', { href: paths.lesson(), 'data-testid': 'lesson-link' }, 'Try the numbers in the lesson'), '.'),
      ),
      form,
    ),
  );
  clockParts(defaults.clock !== null);
  validate();
  (fields.get('name')?.input as HTMLInputElement | undefined)?.focus();

  return { dispose() {} };
}

/** A field's starting value: a setting, or a part of the clock (its fallback while there are no clocks). */
function defaultOf(config: ExhibitionConfig, key: Key): unknown {
  if (!key.startsWith('clock.')) return config[key as Exclude<Key, `clock.${ClockKey}`>];
  const part = key.slice('clock.'.length) as ClockKey;
  if (config.clock) return config.clock[part];
  return part === 'initialSeconds' ? null : CLOCK_FALLBACK[part];
}

/**
 * Settings a link brought along (the lesson's "Host this exhibition") on top of `base`: each kept
 * only when the schema takes it.
 */
function linked(url: URL, base: ExhibitionConfig): ExhibitionConfig {
  let config = base;
  for (const [key, raw] of url.searchParams) {
    if (!Object.hasOwn(base, key)) continue;
    const n = Number(raw);
    const parsed = exhibitionConfigSchema.safeParse({ ...config, [key]: raw.trim() !== '' && Number.isFinite(n) ? n : raw });
    if (parsed.success) config = parsed.data;
  }
  return config;
}

/** The schema's complaint about one field, in the words of the form. */
function friendly(issue: Issue, spec: FieldSpec): string {
  const unit = spec.unit ? ` ${spec.unit}` : '';
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return spec.key === 'name' ? 'Give the exhibition a name.' : 'This cannot be empty.';
      return `At least ${String(issue.minimum)}${unit}.`;
    case 'too_big':
      if (issue.origin === 'string') return `At most ${String(issue.maximum)} characters.`;
      return `At most ${String(issue.maximum)}${unit}.`;
    case 'invalid_type':
      return issue.expected === 'int' ? 'A whole number, please.' : 'Enter a number.';
    case 'invalid_value':
      return 'Choose one of the options.';
    default:
      return issue.message;
  }
}
