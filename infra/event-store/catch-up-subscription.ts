/**
 * A catch-up subscription shared by both adapters: it pages through the global order after its checkpoint
 * and, once caught up, waits for a wake-up (an append in this process, a PostgreSQL NOTIFY) or the poll
 * interval (appends by other processes), then pages again. It relies on one property of the stores:
 * positions become visible in order, so "everything after my checkpoint" never skips an event that
 * commits later (see the write-lock comments in the adapters).
 */
import type { EvidenceSubscription, RecordedEvidenceEvent } from '../ports/event-store.port';

export interface SubscriptionSource {
  readPage(afterPosition: number, limit: number): Promise<RecordedEvidenceEvent[]>;
  /** Registers a wake-up listener; returns its removal. */
  onAppended(listener: () => void): () => void;
}

export class CatchUpSubscription implements EvidenceSubscription {
  private position: number;
  private closed = false;
  private started = false;
  private cleanedUp = false;
  /** Set by every wake-up; cleared before each read, so a wake-up between read and wait is never lost. */
  private appendedSinceRead = true;
  private wakeWaiter: (() => void) | undefined;
  private readonly removeListener: () => void;
  private readonly abortListener = (): void => void this.close();

  constructor(
    private readonly source: SubscriptionSource,
    fromCheckpoint: number,
    private readonly pageSize: number,
    private readonly pollIntervalMs: number,
    private readonly signal: AbortSignal | undefined,
    private readonly onClosed: (subscription: CatchUpSubscription) => void,
  ) {
    this.position = fromCheckpoint;
    this.removeListener = source.onAppended(() => {
      this.appendedSinceRead = true;
      this.wakeWaiter?.();
    });
    if (signal?.aborted) this.closed = true;
    signal?.addEventListener('abort', this.abortListener, { once: true });
  }

  get checkpoint(): number {
    return this.position;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeWaiter?.();
    this.cleanup();
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvidenceEvent> {
    if (this.started) throw new Error('A subscription can be iterated only once; subscribe again from its checkpoint');
    this.started = true;
    return this.run();
  }

  private cleanup(): void {
    if (this.cleanedUp) return;
    this.cleanedUp = true;
    this.removeListener();
    this.signal?.removeEventListener('abort', this.abortListener);
    this.onClosed(this);
  }

  private async *run(): AsyncGenerator<RecordedEvidenceEvent> {
    try {
      while (!this.closed) {
        this.appendedSinceRead = false;
        const page = await this.source.readPage(this.position, this.pageSize);
        for (const event of page) {
          if (this.closed) return;
          this.position = event.position;
          yield event;
        }
        if (page.length < this.pageSize && !this.closed) await this.waitForAppend();
      }
    } finally {
      this.closed = true;
      this.cleanup();
    }
  }

  private waitForAppend(): Promise<void> {
    if (this.appendedSinceRead) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeWaiter = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.wakeWaiter = done;
    });
  }
}
