/**
 * The projector: follows the evidence with a catch-up subscription from the read models' checkpoint and
 * commits the row changes of each batch together with the new checkpoint. Every API process runs one;
 * only the one holding the store's projector lease writes, the others keep trying to take it over (and
 * serve reads meanwhile), so when the leader's process dies another continues from the checkpoint.
 *
 * Batches: up to `batchSize` events, or fewer when the subscription has nothing more right now (it is
 * caught up) — then whatever was collected is committed after `flushDelayMs`.
 */
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import type { EventStore, RecordedEvidenceEvent } from '../ports/event-store.port';
import type { AppliedBatch, ProjectorLease, ReadModelStore } from '../ports/read-model-store.port';
import { ProjectionCheckpointMovedError } from './projection-errors';
import { sleep } from './read-model-serialization';

export interface ProjectionRunnerOptions {
  /** Identifies this projector in leases and logs (default host:pid:random). */
  holder?: string;
  batchSize?: number;
  /** SQLite lease length; renewed every third of it. */
  leaseMs?: number;
  /** How often a follower tries to take the lease over. */
  retryMs?: number;
  flushDelayMs?: number;
  /** How often the subscription polls for appends by other processes. */
  pollIntervalMs?: number;
  /** How often a leader that is idle checks whether the read models were reset under it (rebuild). */
  watchIntervalMs?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface ProjectionRunnerStatus {
  holder: string;
  running: boolean;
  leading: boolean;
  /** The checkpoint this runner last committed or resumed from (when leading). */
  checkpoint: number | null;
  batchesApplied: number;
  eventsApplied: number;
  lastError: string | null;
}

const TIMEOUT: unique symbol = Symbol('timeout');

export class ProjectionRunner {
  readonly holder: string;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly retryMs: number;
  private readonly flushDelayMs: number;
  private readonly pollIntervalMs: number | undefined;
  private readonly watchIntervalMs: number;
  private readonly log: NonNullable<ProjectionRunnerOptions['log']>;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private abort: AbortController | undefined;
  private wake: (() => void) | undefined;
  private readonly state: ProjectionRunnerStatus;

  constructor(
    private readonly events: EventStore,
    private readonly readModels: ReadModelStore,
    options: ProjectionRunnerOptions = {},
  ) {
    this.holder = options.holder ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.batchSize = options.batchSize ?? 500;
    this.leaseMs = options.leaseMs ?? 15_000;
    this.retryMs = options.retryMs ?? 2_000;
    this.flushDelayMs = options.flushDelayMs ?? 10;
    this.pollIntervalMs = options.pollIntervalMs;
    this.watchIntervalMs = options.watchIntervalMs ?? 1000;
    this.log = options.log ?? (() => undefined);
    this.state = {
      holder: this.holder,
      running: false,
      leading: false,
      checkpoint: null,
      batchesApplied: 0,
      eventsApplied: 0,
      lastError: null,
    };
  }

  status(): ProjectionRunnerStatus {
    return { ...this.state };
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.state.running = true;
    this.loop = this.run().finally(() => {
      this.state.running = false;
      this.state.leading = false;
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.abort?.abort();
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  private async pause(ms: number): Promise<void> {
    if (this.stopping) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let lease: ProjectorLease | null = null;
      try {
        lease = await this.readModels.tryLead(this.holder, { leaseMs: this.leaseMs });
      } catch (error) {
        this.fail('cannot ask for the projector lease', error);
      }
      if (!lease) {
        await this.pause(this.retryMs);
        continue;
      }
      this.state.leading = true;
      this.log('info', `projector ${this.holder} leads`);
      try {
        await this.lead(lease);
      } catch (error) {
        if (error instanceof ProjectionCheckpointMovedError) this.log('info', error.message);
        else this.fail('projection stopped', error);
      } finally {
        this.state.leading = false;
        await lease.release().catch(() => undefined);
      }
      // After a reset the same projector continues at once; after a failure it backs off first.
      if (this.state.lastError !== null) await this.pause(Math.min(this.retryMs, 1000));
    }
  }

  private fail(what: string, error: unknown): void {
    const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
    this.state.lastError = message;
    this.log('error', message);
  }

  private async lead(lease: ProjectorLease): Promise<void> {
    let checkpoint = await lease.prepare();
    const { fingerprint } = await this.readModels.status();
    this.state.checkpoint = checkpoint;
    this.state.lastError = null;
    const abort = new AbortController();
    this.abort = abort;
    if (this.stopping) abort.abort();
    let leaseLost = false;
    let resetUnderUs = false;
    // A reset (aims projections rebuild) while this leader is idle would otherwise go unnoticed until the
    // next batch: compare the stored checkpoint with ours now and then, outside of batches.
    let flushing = false;
    let watching = false;
    let generation = 0;
    const watch = setInterval(() => {
      if (flushing || watching) return;
      watching = true;
      const seen = generation;
      this.readModels
        .status()
        .then((stored) => {
          if (flushing || seen !== generation) return;
          if (stored.checkpoint !== checkpoint || stored.fingerprint !== fingerprint) {
            resetUnderUs = true;
            abort.abort();
          }
        })
        .catch(() => undefined)
        .finally(() => (watching = false));
    }, this.watchIntervalMs);
    const renewal = setInterval(
      () => {
        lease.renew().then(
          (held) => {
            if (!held) {
              leaseLost = true;
              abort.abort();
            }
          },
          () => {
            leaseLost = true;
            abort.abort();
          },
        );
      },
      Math.max(50, Math.floor(this.leaseMs / 3)),
    );
    const subscription = this.events.subscribe({
      fromCheckpoint: checkpoint,
      pageSize: this.batchSize,
      signal: abort.signal,
      pollIntervalMs: this.pollIntervalMs,
    });
    const iterator = subscription[Symbol.asyncIterator]();
    let batch: RecordedEvidenceEvent[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const events = batch;
      batch = [];
      flushing = true;
      let applied: AppliedBatch;
      try {
        applied = await lease.applyBatch(checkpoint, events);
      } finally {
        flushing = false;
        generation++;
      }
      checkpoint = applied.checkpoint;
      this.state.checkpoint = checkpoint;
      this.state.batchesApplied++;
      this.state.eventsApplied += events.length;
      for (const s of applied.skipped) this.log('warn', `read model ${s.model} skipped the event at position ${s.position}: ${s.error}`);
    };
    try {
      // A read still under way when this projector stops must not surface as an unhandled rejection.
      const next = (): Promise<IteratorResult<RecordedEvidenceEvent>> => {
        const promise = iterator.next();
        promise.catch(() => undefined);
        return promise;
      };
      let pending = next();
      for (;;) {
        const result: IteratorResult<RecordedEvidenceEvent> | typeof TIMEOUT =
          batch.length === 0 ? await pending : await Promise.race([pending, sleep(this.flushDelayMs).then((): typeof TIMEOUT => TIMEOUT)]);
        if (result === TIMEOUT) {
          await flush();
          continue;
        }
        if (result.done) break;
        batch.push(result.value);
        pending = next();
        if (batch.length >= this.batchSize) await flush();
      }
      // Stopped, reset or lease lost: what was read but not committed is read again by the next leader.
      if (leaseLost) this.log('warn', `projector ${this.holder} lost the lease`);
      if (resetUnderUs) this.log('info', `projector ${this.holder}: the read models were reset; rebuilding`);
    } finally {
      clearInterval(renewal);
      clearInterval(watch);
      await subscription.close();
      if (this.abort === abort) this.abort = undefined;
    }
  }
}

/**
 * `aims projections rebuild`: empties the read models and waits until they are rebuilt up to the head
 * of the evidence as it was — by this process, or by a running API process that holds the lease.
 */
export async function rebuildProjections(
  events: EventStore,
  readModels: ReadModelStore,
  options: ProjectionRunnerOptions & { timeoutMs?: number; onProgress?: (checkpoint: number, head: number) => void } = {},
): Promise<{ checkpoint: number; head: number }> {
  await readModels.reset();
  const head = (await events.head())?.position ?? 0;
  const runner = new ProjectionRunner(events, readModels, { retryMs: 500, ...options });
  runner.start();
  try {
    const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
    for (;;) {
      const done = await readModels.waitForCheckpoint(head, 1000);
      const { checkpoint } = await readModels.status();
      options.onProgress?.(checkpoint, head);
      if (done) return { checkpoint, head };
      if (Date.now() > deadline) throw new Error(`rebuild did not reach position ${head} in time (at ${checkpoint})`);
    }
  } finally {
    await runner.stop();
  }
}
