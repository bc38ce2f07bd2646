/**
 * Runs tasks one after another, each to its end (awaits included) before the next begins: every
 * command on one exhibition is applied, stored and announced in the order it arrived.
 */
export class CommandQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const done = this.tail.then(task);
    this.tail = done.catch(() => {}); // a task that fails does not stop the ones after it
    return done;
  }
}
