/** A button that asks once more before something that cannot be undone (resign, end, remove). */
import { h, replace } from '../dom.js';

export interface ConfirmButton {
  el: HTMLElement;
  setDisabled(disabled: boolean): void;
}

export function confirmButton(options: {
  label: string;
  confirm: string;
  className?: string;
  testId?: string;
  action: () => void | Promise<void>;
}): ConfirmButton {
  const el = h('span', { class: 'confirm' });
  let disabled = false;
  let timer = 0;

  const idle = () => {
    window.clearTimeout(timer);
    const button = h(
      'button',
      { class: `btn ${options.className ?? ''}`, type: 'button', disabled, 'data-testid': options.testId ?? null },
      options.label,
    );
    button.addEventListener('click', asking);
    replace(el, button);
  };

  const asking = () => {
    const yes = h('button', { class: 'btn btn-danger', type: 'button', 'data-testid': options.testId ? `${options.testId}-confirm` : null }, options.confirm);
    const no = h('button', { class: 'btn btn-quiet', type: 'button', 'aria-label': 'Cancel' }, 'Cancel');
    yes.addEventListener('click', () => {
      idle();
      void options.action();
    });
    no.addEventListener('click', idle);
    replace(el, yes, no);
    yes.focus();
    timer = window.setTimeout(idle, 5000);
  };

  idle();
  return {
    el,
    setDisabled(next) {
      if (next === disabled) return;
      disabled = next;
      idle();
    },
  };
}
