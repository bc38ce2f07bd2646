/** The promotion choice, as on lichess: the four pieces stacked on the promotion square's file. */
import type { Key } from '@lichess-org/chessground/types';
import type { Color } from '../../../shared/domain.js';
import { h } from '../dom.js';

export type PromotionRole = 'queen' | 'knight' | 'rook' | 'bishop';
const ROLES: PromotionRole[] = ['queen', 'knight', 'rook', 'bishop'];
export const ROLE_LETTER: Record<PromotionRole, string> = { queen: 'q', knight: 'n', rook: 'r', bishop: 'b' };

/**
 * Shows the choice over `frame` (the board's positioned parent). Resolves with the piece, or null
 * when the player clicks elsewhere or presses Escape (the move is then taken back).
 */
export function choosePromotion(frame: HTMLElement, dest: Key, color: Color, orientation: Color): Promise<PromotionRole | null> {
  return new Promise((resolve) => {
    const file = dest.charCodeAt(0) - 97;
    const rank = Number(dest[1]) - 1;
    const column = orientation === 'white' ? file : 7 - file;
    const fromTop = (orientation === 'white' ? 7 - rank : rank) === 0;
    const overlay = h('div', { class: 'cg-wrap promotion', role: 'dialog', 'aria-label': 'Promote to' });
    const done = (role: PromotionRole | null) => {
      overlay.remove();
      document.removeEventListener('keydown', onKey);
      resolve(role);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') done(null);
    };
    ROLES.forEach((role, i) => {
      const row = fromTop ? i : 7 - i;
      const square = h(
        'button',
        {
          class: 'promotion-square',
          type: 'button',
          'aria-label': role,
          'data-role': role,
          style: `left:${column * 12.5}%;top:${row * 12.5}%`,
          onclick: (e: Event) => {
            e.stopPropagation();
            done(role);
          },
        },
        h('piece', { class: `${role} ${color}` }),
      );
      overlay.appendChild(square);
    });
    overlay.addEventListener('click', () => done(null));
    document.addEventListener('keydown', onKey);
    frame.appendChild(overlay);
    (overlay.firstElementChild as HTMLElement | null)?.focus();
  });
}
