import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import type { ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import { ProjectionRunner, type ProjectionRunnerStatus } from '../../../../infra/projections/projection-runner';
import { EVENT_STORE, READ_MODEL_STORE } from './store.tokens';

/**
 * Runs this process's projector from start-up to shutdown. Every API process runs one; the store lets one
 * at a time write (the others take over if it stops), and every process serves reads from the read models.
 */
@Injectable()
export class ProjectionRunnerService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Projections');
  private readonly runner: ProjectionRunner;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
  ) {
    this.runner = new ProjectionRunner(events, readModels, {
      // Commit what was read as soon as the next event is not at hand: every command's answer waits for
      // its evidence in the read models, so a batching pause would be on each one's critical path.
      flushDelayMs: 0,
      log: (level, message) =>
        level === 'error' ? this.logger.error(message) : level === 'warn' ? this.logger.warn(message) : this.logger.log(message),
    });
  }

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  status(): ProjectionRunnerStatus {
    return this.runner.status();
  }

  /**
   * A command is about to go to a worker and its answer will wait for its evidence in the read models: until
   * the release is called, the projector looks for that evidence often (SQLite) instead of learning of it
   * only from the answer, so projecting overlaps the answer's trip back (issue 13 item 6).
   */
  expectingEvidence(): () => void {
    return this.events.expectAppendsElsewhere?.() ?? (() => undefined);
  }

  /**
   * Waits until the read models include the event at `position` (whichever process projects it): for a
   * handler that appended evidence and wants the lists to show it before answering.
   */
  waitForPosition(position: number, timeoutMs = 5000): Promise<boolean> {
    // The position came from the worker's answer, so the event is committed: the projector need not wait
    // for its next poll (SQLite) or the NOTIFY (PostgreSQL) to read it. The read models' commit then wakes
    // this wait (see checkpoint-signal.ts) instead of its next look.
    this.events.appendedElsewhere?.();
    return this.readModels.waitForCheckpoint(position, timeoutMs);
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }
}
