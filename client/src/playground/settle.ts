/**
 * A browser's way to let every pending promise continuation run before the virtual clock jumps: a
 * message to itself is a task, and a task starts only once the microtasks are done (Node's
 * setImmediate, which the clock uses there, does not exist in a browser).
 */
export function messageSettle(): () => Promise<void> {
  const channel = new MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return () =>
    new Promise((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(null);
    });
}
