/**
 * A canvas drawn at the screen's own pixel density, as wide as its box, only while it is on
 * screen: what both charts draw on.
 */
import { h } from './dom.js';

export class Canvas {
  readonly el: HTMLCanvasElement;
  /** The size in CSS pixels of the frame being drawn. */
  width = 0;
  height = 0;
  /** Whether it is in (or near) the viewport. */
  visible = false;
  /** The box's width in CSS pixels, as last observed: read without forcing a layout. */
  boxWidth = 0;
  /** Resized since the last frame: drawn again even off screen, never left stretched. */
  private resized = true;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly resize: ResizeObserver;
  private readonly intersect: IntersectionObserver;

  /** `changed` is told when it was resized or came into view: time to draw. */
  constructor(attrs: Record<string, string>, changed: () => void) {
    this.el = h('canvas', attrs);
    this.ctx = this.el.getContext('2d', { alpha: true })!;
    this.resize = new ResizeObserver((entries) => {
      this.boxWidth = entries[entries.length - 1].contentRect.width;
      this.resized = true;
      changed();
    });
    this.resize.observe(this.el);
    this.intersect = new IntersectionObserver(
      (entries) => {
        this.visible = entries[entries.length - 1].isIntersecting;
        if (this.visible) changed();
      },
      { rootMargin: '100px 0px' },
    );
    this.intersect.observe(this.el);
  }

  /** Whether a frame would be drawn: on screen (or resized since), and laid out. */
  ready(): boolean {
    return (this.visible || this.resized) && this.boxWidth > 0;
  }

  /**
   * Prepares a frame `height` CSS pixels tall: the backing store sized to the box at the device's
   * pixel ratio, the context scaled so that one unit is one CSS pixel, and cleared. Null when
   * there is nothing to draw on (hidden, or off screen and not resized).
   */
  begin(height: number): CanvasRenderingContext2D | null {
    if (!this.ready()) return null;
    if (this.el.style.height !== `${height}px`) this.el.style.height = `${height}px`;
    const width = this.boxWidth;
    this.resized = false;
    const ratio = Math.min(3, window.devicePixelRatio || 1);
    const w = Math.round(width * ratio);
    const hgt = Math.round(height * ratio);
    if (this.el.width !== w || this.el.height !== hgt) {
      this.el.width = w;
      this.el.height = hgt;
    }
    this.width = width;
    this.height = height;
    const ctx = this.ctx;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    return ctx;
  }

  dispose(): void {
    this.resize.disconnect();
    this.intersect.disconnect();
  }
}

/** Steps for ticks on a time axis, in seconds: the first one at least `rough` long. */
export function timeStep(rough: number): number {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];
  return steps.find((s) => s >= rough) ?? Math.ceil(rough / 86_400) * 86_400;
}

/** A round step for a numeric axis (1, 2, 5, 10, 20, 50, …), the first at least `rough`. */
export function numberStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(rough, 1e-9)));
  return [1, 2, 5, 10].map((k) => k * power).find((s) => s >= rough) ?? 10 * power;
}
