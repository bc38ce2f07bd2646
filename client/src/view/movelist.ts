/** The moves of one game in SAN, numbered in pairs as on a score sheet. */
import type { MoveRecord } from '../../../shared/domain.js';
import { sanInWords } from '../speech.js';
import { h, type VNode } from '../vdom.js';

/** Keys that step through the moves, and where each goes from move `i` of `n`. */
const STEPS: Record<string, (i: number, n: number) => number> = {
  ArrowLeft: (i) => i - 1,
  ArrowUp: (i) => i - 1,
  ArrowRight: (i) => i + 1,
  ArrowDown: (i) => i + 1,
  Home: () => 0,
  End: (_i, n) => n - 1,
};

/** What the list says when empty, and how it names Judit's opponent ("you" on the player's own page). */
export interface MoveListWords {
  empty: string;
  opponent: string;
}

const SPECTATOR: MoveListWords = { empty: 'No moves yet.', opponent: 'her opponent' };

/**
 * Focusable with Tab; the arrow keys (and Home, End) then step through the moves, each read out.
 * Each move keeps its element from one redraw to the next: the one stepped to keeps the focus.
 */
/** `shownPly`: the move whose position a replay shows, marked. */
export function moveListView(moves: readonly MoveRecord[], startFen: string | undefined, words: MoveListWords = SPECTATOR, shownPly: number | null = null): VNode {
  const fields = (startFen ?? '').split(' ');
  const blackFirst = fields[1] === 'b';
  const firstFullmove = Number(fields[5]) || 1;
  const items: VNode[] = [];
  moves.forEach((move, i) => {
    const index = move.ply - 1 + (blackFirst ? 1 : 0); // half-moves counted from a white move
    const white = index % 2 === 0;
    const fullmove = firstFullmove + Math.floor(index / 2);
    if (white || i === 0) {
      items.push(h('span.move-no', { key: `no${fullmove}` }, `${fullmove}.`));
      if (!white) items.push(h('span.move.move-empty', { key: 'gap' }, '…'));
    }
    const label = `${fullmove}${white ? '.' : '…'} ${move.by === 'judit' ? 'Judit' : words.opponent}: ${sanInWords(move.san)}`;
    items.push(
      h(
        `span.move.${move.by}`,
        { key: move.ply, class: { last: i === moves.length - 1, shown: move.ply === shownPly }, attrs: { 'data-ply': move.ply, tabindex: -1, 'aria-label': label } },
        move.san,
      ),
    );
  });
  return h(
    'div.moves',
    {
      attrs: { 'aria-label': 'Moves (arrow keys step through them)', role: 'log', tabindex: 0 },
      on: { keydown: step },
      hook: {
        insert: (vnode) => scrollToEnd(vnode.elm as HTMLElement),
        postpatch: (old, vnode) => {
          if (old.children?.length !== vnode.children?.length) scrollToEnd(vnode.elm as HTMLElement);
        },
      },
    },
    items.length ? items : [h('p.moves-empty', words.empty)],
  );
}

function scrollToEnd(el: HTMLElement): void {
  el.scrollTop = el.scrollHeight;
}

function step(event: KeyboardEvent): void {
  const go = STEPS[event.key];
  const list = event.currentTarget as HTMLElement;
  if (!go) return;
  const moves = [...list.querySelectorAll<HTMLElement>('.move[data-ply]')];
  if (!moves.length) return;
  event.preventDefault();
  const at = moves.indexOf(document.activeElement as HTMLElement);
  // from the list itself, Home and End still go to their ends; an arrow starts from the latest move
  const from = at === -1 && event.key !== 'Home' && event.key !== 'End' ? moves.length : at;
  const next = Math.max(0, Math.min(moves.length - 1, go(from, moves.length)));
  moves[next].focus();
}
