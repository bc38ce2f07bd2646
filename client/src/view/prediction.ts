/**
 * The host form's forecast: how long the exhibition being configured should take table to table,
 * against one game after another, from its boards and Judit's time and two guesses the host makes
 * here (an opponent's time per move, the moves in a game). The arithmetic is shared/lesson.ts's;
 * the guesses are not part of the exhibition's settings.
 */
import type { ClockSetting, ExhibitionConfig } from '../../../shared/config.js';
import { crossoverBoards, idealSecondsForGivers, juditClockSeconds, type LessonInputs, sequentialSeconds } from '../../../shared/lesson.js';
import { h, setText } from '../dom.js';
import { about, decimal, duration, plural, seconds } from '../format.js';

const DEFAULT_OPPONENT_SECONDS = 30;
const DEFAULT_MOVES = 40;

export class Prediction {
  readonly el: HTMLElement;
  private readonly opponent = guess('p-opponent', DEFAULT_OPPONENT_SECONDS, 'decimal');
  private readonly moves = guess('p-moves', DEFAULT_MOVES, 'numeric');
  private readonly headline = h('p', { class: 'prediction-headline', 'data-testid': 'prediction' });
  private readonly sequential = h('p', { class: 'prediction-line', 'data-testid': 'prediction-sequential' });
  private readonly crossover = h('p', { class: 'prediction-line', 'data-testid': 'prediction-crossover' });
  private readonly round = h('p', { class: 'prediction-line muted', 'data-testid': 'prediction-round' });
  private readonly clocks = h('p', { class: 'prediction-line', 'data-testid': 'prediction-clocks' });
  private config: ExhibitionConfig | null = null;

  constructor() {
    this.el = h(
      'section',
      { class: 'panel prediction', 'aria-label': 'Predicted duration', 'aria-live': 'polite' },
      h('h2', { class: 'panel-title' }, 'How long it should take'),
      h(
        'div',
        { class: 'prediction-guesses' },
        h('div', { class: 'guess' }, h('label', { for: 'p-opponent' }, 'Opponents take about'), this.opponent, h('span', { class: 'unit' }, 's a move')),
        h('div', { class: 'guess' }, h('label', { for: 'p-moves' }, 'A game lasts about'), this.moves, h('span', { class: 'unit' }, 'moves')),
      ),
      h('p', { class: 'hint' }, 'Your guesses, not settings: they shape this forecast only.'),
      this.headline,
      this.sequential,
      this.crossover,
      this.round,
      this.clocks,
    );
    for (const input of [this.opponent, this.moves]) input.addEventListener('input', () => this.draw());
  }

  /** The settings as the form has them now; null while they are not valid. */
  update(config: ExhibitionConfig | null): void {
    this.config = config;
    this.draw();
  }

  private draw(): void {
    const c = this.config;
    const o = Number(this.opponent.value);
    const m = Number(this.moves.value);
    const guessed = this.opponent.value.trim() !== '' && Number.isFinite(o) && o >= 0 && Number.isInteger(m) && m >= 1 && m <= 1000;
    this.opponent.setAttribute('aria-invalid', String(!(Number.isFinite(o) && o >= 0)));
    this.moves.setAttribute('aria-invalid', String(!(Number.isInteger(m) && m >= 1 && m <= 1000)));
    if (!c || !guessed) {
      delete this.headline.dataset.seconds;
      setText(this.headline, c ? 'Give an opponent’s time per move and the moves in a game to see a forecast.' : 'Fix the settings above to see a forecast.');
      for (const line of [this.sequential, this.crossover, this.round, this.clocks]) setText(line, '');
      return;
    }
    // at each table she spends her think time, and the walk to the next one
    const perTable = c.thinkSeconds + c.walkSeconds;
    const inputs = { boards: c.boards, juditSeconds: c.thinkSeconds, opponentSeconds: o, movePairs: m, walkSeconds: c.walkSeconds };
    const ideal = idealSecondsForGivers(inputs, c.givers);
    const oneByOne = sequentialSeconds(inputs);
    const nStar = crossoverBoards(inputs);
    this.headline.dataset.seconds = String(Math.round(ideal));
    this.sequential.dataset.seconds = String(Math.round(oneByOne));
    const who = c.givers > 1 ? `${c.givers} givers at once, each table to table over ${plural(Math.ceil(c.boards / c.givers), 'table')} at most` : 'Table to table';
    setText(this.headline, `${who}, about ${duration(ideal * 1000)}.`);
    setText(this.sequential, `One game after another it would take ${duration(oneByOne * 1000)}.`);
    const walk = c.walkSeconds > 0 ? ` (her think and walk, ${seconds(Number(perTable.toFixed(3)))} a table)` : '';
    setText(
      this.crossover,
      c.boards > nStar
        ? `With ${plural(c.boards, 'board')} Judit is the bottleneck: above ${decimal(nStar)} boards every board added makes it longer${walk}.`
        : `With ${plural(c.boards, 'board')} Judit waits on her opponents: up to ${decimal(nStar)} boards cost hardly any extra time${walk}.`,
    );
    const round = c.boards * perTable;
    setText(
      this.round,
      c.boards === 1
        ? 'One board: Judit thinks at that table only.'
        : `A full round of the ${c.boards} tables takes Judit ${round < 10 ? `${decimal(Number(round.toFixed(1)))} s` : about(round * 1000)}.`,
    );
    setText(this.clocks, c.clock ? clockForecast(c.clock, inputs) : '');
  }
}

function guess(id: string, value: number, mode: 'decimal' | 'numeric'): HTMLInputElement {
  return h('input', { id, type: 'number', inputmode: mode, step: mode === 'numeric' ? 1 : 'any', min: mode === 'numeric' ? 1 : 0, value, autocomplete: 'off' });
}

/** What the clocks ask of both sides: Judit's drain in parallel, about as many games' time as boards. */
function clockForecast(clock: ClockSetting, inputs: LessonInputs): string {
  const needs = juditClockSeconds(inputs, clock.incrementSeconds);
  const has = clock.initialSeconds + clock.giverExtraSeconds;
  const opponentNeeds = Math.max(0, inputs.movePairs * (inputs.opponentSeconds - clock.incrementSeconds));
  const judit = needs <= has
    ? `Judit’s clock on each board runs while she is at the others: she needs about ${duration(needs * 1000)} of her ${duration(has * 1000)} there.`
    : `Judit’s clock on each board runs while she is at the others: she would need about ${duration(needs * 1000)} and has ${duration(has * 1000)}, so she will have to hurry.`;
  const opponents = opponentNeeds <= clock.initialSeconds
    ? `Each opponent uses about ${duration(opponentNeeds * 1000)} of ${duration(clock.initialSeconds * 1000)}.`
    : `At that pace an opponent needs ${duration(opponentNeeds * 1000)} of ${duration(clock.initialSeconds * 1000)}: their flag falls first.`;
  return `${judit} ${opponents}`;
}
