/** A chessground board: the player's (drag or click moves, premoves) or a spectator's (view only). */
import { Chessground } from '@lichess-org/chessground';
import type { Api } from '@lichess-org/chessground/api';
import type { Key } from '@lichess-org/chessground/types';
import type { Color } from '../../../shared/domain.js';
import { uciKeys } from '../game.js';

export interface Position {
  fen: string;
  /** The last move in UCI, highlighted. */
  lastMove: string | null;
  turn: Color;
  check: boolean;
}

export interface BoardOptions {
  orientation: Color;
  /** Spectator boards: no moves, no coordinates, lighter animation. */
  mini?: boolean;
  /** The player moved a piece (already legal): send it. */
  onMove?: (from: Key, to: Key) => void;
}

/** Who may move now and where; null makes the board read-only. */
export interface Movable {
  color: Color;
  dests: Map<Key, Key[]>;
  /** True when it is not this side's turn: moves are queued as premoves. */
  premove: boolean;
}

export class BoardView {
  private readonly cg: Api;
  private current: Position | null = null;

  /** `el` must be in the document, sized by CSS (square). */
  constructor(
    readonly el: HTMLElement,
    options: BoardOptions,
  ) {
    el.classList.add('cg-wrap-host');
    const viewOnly = !options.onMove;
    this.cg = Chessground(el, {
      orientation: options.orientation,
      viewOnly,
      coordinates: !options.mini,
      // a hundred mini boards animating at once is a hundred animation loops: they just show the move
      animation: { enabled: !options.mini, duration: 200 },
      highlight: { lastMove: true, check: true },
      movable: {
        free: false,
        color: undefined,
        showDests: true,
        events: { after: (from, to) => options.onMove?.(from, to) },
      },
      premovable: { enabled: !viewOnly, showDests: true, castle: true },
      draggable: { enabled: !viewOnly, showGhost: true },
      selectable: { enabled: !viewOnly },
      drawable: { enabled: !viewOnly, visible: true },
      disableContextMenu: !viewOnly,
    });
    if (!viewOnly) {
      // chessground measures the board once and re-measures on scroll or resize only; text above
      // the board that grows or shrinks moves it too, so measure afresh as every drag begins
      const remeasure = () => this.cg.state.dom.bounds.clear();
      el.addEventListener('mousedown', remeasure, { capture: true });
      el.addEventListener('touchstart', remeasure, { capture: true, passive: true });
    }
  }

  /** Shows a position; pieces animate from the previous one. */
  show(position: Position, movable: Movable | null = null): void {
    this.current = position;
    this.el.dataset.fen = position.fen;
    this.cg.set({
      fen: position.fen,
      turnColor: position.turn,
      check: position.check ? position.turn : false,
      lastMove: position.lastMove ? uciKeys(position.lastMove) : undefined,
      movable: movable
        ? { color: movable.color, dests: movable.premove ? new Map() : movable.dests }
        : { color: undefined, dests: new Map() },
    });
    if (!movable) this.cg.cancelPremove();
  }

  /** Plays a queued premove if it is legal now (call after `show` gave the turn back). */
  playPremove(): boolean {
    return this.cg.playPremove();
  }

  /** Puts every piece back where the last `show` had it (a refused move). */
  snapBack(): void {
    if (!this.current) return;
    this.cg.cancelMove();
    this.cg.set({ fen: this.current.fen, lastMove: this.current.lastMove ? uciKeys(this.current.lastMove) : undefined });
  }

  /** Replaces the piece on `key` (a promotion shown before the server confirms it). */
  promote(key: Key, role: 'queen' | 'rook' | 'bishop' | 'knight', color: Color): void {
    this.cg.setPieces(new Map([[key, { role, color, promoted: true }]]));
  }

  setOrientation(color: Color): void {
    if (this.cg.state.orientation !== color) this.cg.set({ orientation: color });
  }

  /** Freezes moves (while a promotion is being chosen or a move is in flight). */
  freeze(): void {
    this.cg.set({ movable: { color: undefined, dests: new Map() } });
    this.cg.cancelPremove();
  }

  destroy(): void {
    this.cg.destroy();
    this.el.textContent = '';
  }
}
