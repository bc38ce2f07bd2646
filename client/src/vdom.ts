/**
 * Pages as views of state: a page describes itself as a snabbdom tree, and `mount` patches the
 * document to match, at most once an animation frame however many changes came in between.
 */
import { attributesModule, classModule, datasetModule, eventListenersModule, h, init, propsModule, styleModule, thunk, type VNode } from 'snabbdom';
import { perFrame } from './frame.js';

export { h, thunk, type VNode };

const patch = init([classModule, propsModule, attributesModule, datasetModule, styleModule, eventListenersModule]);

export interface Mounted {
  /** Draws again on the next animation frame (once, however often asked). */
  redraw(): void;
  /** Draws again now (before reading the document, or before measuring it). */
  redrawNow(): void;
  /** Takes the view out of `root`: its hooks destroy the boards and canvases it made. */
  dispose(): void;
}

/** Draws `view()` into `root` now, and again on every `redraw`. */
export function mount(root: HTMLElement, view: () => VNode): Mounted {
  const host = document.createElement('div');
  root.replaceChildren(host);
  let current = patch(host, view());
  const draw = () => {
    current = patch(current, view());
  };
  const redraw = perFrame(draw);
  return {
    redraw,
    redrawNow() {
      redraw.cancel();
      draw();
    },
    dispose() {
      redraw.cancel();
      current = patch(current, h('div'));
    },
  };
}

/**
 * An element made and kept outside the view (a widget with its own state, such as the move list):
 * the view places this very element, and never patches its insides.
 */
export function holder(el: HTMLElement): VNode {
  return h(el.tagName.toLowerCase(), {
    // another element in the same place is another vnode: it replaces this one
    key: keyOf(el),
    hook: {
      create: (_empty, vnode) => {
        vnode.elm = el;
      },
    },
  });
}

const keys = new WeakMap<HTMLElement, string>();
let lastKey = 0;

function keyOf(el: HTMLElement): string {
  let key = keys.get(el);
  if (!key) keys.set(el, (key = `held-${++lastKey}`));
  return key;
}
