/**
 * Signs checkpoints on a schedule, in the worker process (apps/worker/src/main.ts): after every N events or
 * T seconds, whichever comes first, and only when the tree has grown since the last checkpoint. It runs only
 * where a signer key is configured. Several workers each sign on their own; checkpoints of the same tree
 * size by the same key carry the same root, so the duplicates are harmless.
 */
import type { EventStore } from '../ports/event-store.port';
import { signCheckpoint } from './evidence-checkpoints';
import type { NoteSigner } from './signed-note';

export interface CheckpointSchedule {
  everyEvents: number;
  everyMs: number;
}

/** Whether to sign now: the tree grew, by N events or more, or at all and T has passed since the last one. */
export function checkpointDue(
  schedule: CheckpointSchedule,
  treeSize: number,
  last: { treeSize: number; signedAtMs: number } | null,
  nowMs: number,
): boolean {
  const lastSize = last?.treeSize ?? 0;
  if (treeSize <= lastSize) return false;
  if (treeSize - lastSize >= schedule.everyEvents) return true;
  return last === null || nowMs - last.signedAtMs >= schedule.everyMs;
}

export class CheckpointScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly origin: string,
    private readonly signer: NoteSigner,
    private readonly schedule: CheckpointSchedule,
    private readonly onError: (error: unknown) => void,
    /** How often to look (default: a tenth of T, between 1 and 30 s). */
    private readonly pollMs = Math.min(30_000, Math.max(1_000, Math.floor(schedule.everyMs / 10))),
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.pollMs);
    this.timer.unref();
  }

  /** One look: signs and stores a checkpoint when one is due. Exposed for tests. */
  async tick(nowMs = Date.now()): Promise<boolean> {
    if (this.running) return false;
    let signed = false;
    this.running = (async () => {
      try {
        const [head, last] = await Promise.all([this.store.treeHead(), this.store.latestCheckpoint()]);
        const previous = last && last.origin === this.origin ? { treeSize: last.treeSize, signedAtMs: Date.parse(last.signedAt) } : null;
        if (checkpointDue(this.schedule, head.size, previous, nowMs)) {
          await signCheckpoint(this.store, this.origin, this.signer);
          signed = true;
        }
      } catch (error) {
        this.onError(error);
      }
    })();
    await this.running;
    this.running = undefined;
    return signed;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
