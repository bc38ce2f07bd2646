/**
 * The playground's controls: a slider and a number field for every number, kept in step, and a
 * choice for Judit's visiting order. A field holding a value out of range says so and changes
 * nothing.
 */
import type { VisitOrder } from '../../../shared/config.js';
import { h, toggle } from '../dom.js';
import { type ExhibitionSettings, NUMBERS, type NumberKey, type NumberSpec, sliderPosition, sliderValue, valid } from './settings.js';

interface NumberControl {
  spec: NumberSpec;
  slider: HTMLInputElement;
  field: HTMLInputElement;
  row: HTMLElement;
}

const LABELS: Record<NumberKey, { label: string; unit: string; hint: string }> = {
  boards: { label: 'Boards (N)', unit: '', hint: 'Opponents, one board each: 1 to 1,000.' },
  juditSeconds: { label: 'Judit a move (j)', unit: 's', hint: 'Her think time at each table.' },
  opponentSeconds: { label: 'Opponents a move (o)', unit: 's', hint: 'Every opponent’s time to answer (the quickest, when mixed).' },
  opponentSpreadSeconds: { label: 'Opponents’ spread', unit: 's', hint: 'Each answer takes from o to o + this, drawn at random; 0: all alike.' },
  movePairs: { label: 'Move pairs (M)', unit: '', hint: 'Moves each side makes in every game.' },
  walkSeconds: { label: 'Walk between tables', unit: 's', hint: 'Her walk from one table to the next.' },
  patienceSeconds: { label: 'Patience at a table', unit: 's', hint: 'How long she waits for a move before walking on.' },
  givers: { label: 'Givers (k)', unit: '', hint: 'Judit and her sisters at once, each walking her own section of the tables: 1 to 8.' },
};

export class Controls {
  readonly el: HTMLElement;
  private readonly numbers: NumberControl[];
  private readonly order: HTMLSelectElement;

  /** `changed` hears every valid change, as the slider moves or the field is typed in. */
  constructor(
    settings: ExhibitionSettings,
    private readonly changed: (settings: ExhibitionSettings) => void,
  ) {
    this.numbers = Object.values(NUMBERS).map((spec) => this.number(spec));
    this.order = h(
      'select',
      { id: 'pg-order', 'data-testid': 'pg-order' },
      h('option', { value: 'table' }, 'Table order, round and round'),
      h('option', { value: 'urgent' }, 'The board that has waited longest'),
    );
    this.order.addEventListener('change', () => this.emit());
    this.el = h(
      'div',
      { class: 'pg-controls' },
      this.numbers.map((n) => n.row),
      h(
        'div',
        { class: 'pg-row' },
        h('label', { for: 'pg-order' }, 'Visiting order'),
        h('div', { class: 'pg-inputs' }, this.order),
        h('p', { class: 'hint' }, 'Which table she goes to next.'),
      ),
    );
    this.set(settings);
  }

  /** Shows `settings` (the URL's, or the classic ones). */
  set(settings: ExhibitionSettings): void {
    for (const n of this.numbers) {
      const value = settings[n.spec.key];
      n.slider.value = String(sliderPosition(n.spec, value));
      n.field.value = String(value);
      this.mark(n, true);
    }
    this.order.value = settings.order;
  }

  /** The settings as shown, or null while a field holds no valid value. */
  read(): ExhibitionSettings | null {
    const out: Partial<ExhibitionSettings> = { order: this.order.value as VisitOrder };
    for (const n of this.numbers) {
      const value = Number(n.field.value);
      if (n.field.value.trim() === '' || !valid(n.spec, value)) return null;
      out[n.spec.key] = value;
    }
    return out as ExhibitionSettings;
  }

  private number(spec: NumberSpec): NumberControl {
    const { label, unit, hint } = LABELS[spec.key];
    const id = `pg-${spec.query}`;
    const log = spec.slider.log === true;
    const slider = h('input', {
      type: 'range',
      id: `${id}-slider`,
      min: log ? 0 : spec.slider.min,
      max: log ? sliderPosition(spec, spec.slider.max) : spec.slider.max,
      step: log ? 1 : spec.slider.step,
      'aria-label': `${label}, slider`,
      'data-testid': `${id}-slider`,
    });
    const field = h('input', {
      type: 'number',
      id,
      min: spec.min,
      max: spec.max,
      step: spec.integer ? 1 : 'any',
      inputmode: spec.integer ? 'numeric' : 'decimal',
      'data-testid': id,
      'aria-describedby': `${id}-hint`,
    });
    const row = h(
      'div',
      { class: 'pg-row', 'data-setting': spec.key },
      h('label', { for: id }, label),
      h('div', { class: 'pg-inputs' }, slider, h('span', { class: 'pg-number' }, field, unit ? h('span', { class: 'unit' }, unit) : null)),
      h('p', { class: 'hint', id: `${id}-hint` }, hint),
    );
    const control = { spec, slider, field, row };
    slider.addEventListener('input', () => {
      field.value = String(sliderValue(spec, Number(slider.value)));
      this.mark(control, true);
      this.emit();
    });
    field.addEventListener('input', () => {
      const value = Number(field.value);
      const ok = field.value.trim() !== '' && valid(spec, value);
      this.mark(control, ok);
      if (!ok) return;
      slider.value = String(sliderPosition(spec, value));
      this.emit();
    });
    return control;
  }

  private mark(n: NumberControl, ok: boolean): void {
    n.field.setAttribute('aria-invalid', String(!ok));
    toggle(n.row, 'invalid', !ok);
  }

  private emit(): void {
    const settings = this.read();
    if (settings) this.changed(settings);
  }
}
