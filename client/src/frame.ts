/** Work done at most once per animation frame, however often it is asked for in between. */
export function perFrame(work: () => void): { (): void; cancel(): void } {
  let frame = 0;
  const ask = () => {
    if (!frame) {
      frame = requestAnimationFrame(() => {
        frame = 0;
        work();
      });
    }
  };
  ask.cancel = () => {
    cancelAnimationFrame(frame);
    frame = 0;
  };
  return ask;
}
