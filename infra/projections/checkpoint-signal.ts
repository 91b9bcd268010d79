/**
 * Wakes whoever waits for the read models' checkpoint (an API handler answering only once the read models
 * show its command's evidence) when a projector commits a batch: at once in this process, and, on
 * PostgreSQL, on the NOTIFY a projector in another process sends with its commit. Waiters still look again
 * after a short pause, so a missed or lost notification costs that pause, never an answer.
 */
import { EventEmitter } from 'node:events';

export class CheckpointSignal {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  /** A projector committed a batch (in this process, or told by NOTIFY). */
  moved(): void {
    this.emitter.emit('moved');
  }

  /** Resolves when the checkpoint moves, or after `ms` at the latest. */
  wait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.emitter.off('moved', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.emitter.on('moved', done);
    });
  }
}
