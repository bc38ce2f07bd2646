/** A link to share: shown in full, one click to copy. */
import { h, setText } from '../dom.js';

export function copyField(label: string, value: string, testId: string): HTMLElement {
  const id = `copy-${testId}`;
  const input = h('input', { id, class: 'copy-input', type: 'text', readonly: true, value, 'data-testid': testId });
  const button = h('button', { class: 'btn', type: 'button' }, 'Copy');
  const status = h('span', { class: 'copy-status', 'aria-live': 'polite' });
  input.addEventListener('focus', () => input.select());
  button.addEventListener('click', () => {
    void copy(input).then((ok) => {
      setText(status, ok ? 'Copied' : 'Select the link and copy it');
      setText(button, ok ? '✓ Copied' : 'Copy');
      window.setTimeout(() => {
        setText(status, '');
        setText(button, 'Copy');
      }, 2000);
    });
  });
  return h('div', { class: 'copy' }, h('label', { for: id }, label), h('div', { class: 'copy-row' }, input, button), status);
}

async function copy(input: HTMLInputElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(input.value);
    return true;
  } catch {
    // no clipboard API (plain http, old browser): the old way
    input.focus();
    input.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}
