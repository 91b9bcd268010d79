/**
 * Group commit. Appends are serialised by the store's write lock and each commit waits for the disk, so
 * appends issued concurrently through one store instance are gathered and committed together: one lock,
 * one transaction, one fsync for the group. Each append is still decided on its own, in arrival order,
 * exactly as if it had run alone (domain/evidence/evidence-append.ts: decideAppendGroup): its result, or
 * its typed error, is its own. Only a failure of the transaction itself fails the whole group, and then
 * nothing of it was written (a retry is safe: appends are idempotent).
 */
import type { AppendCommand, AppendDecision } from '../../domain/evidence/evidence-append';
import type { EvidenceError } from '../../domain/evidence/evidence-errors';

export type CommitGroup = (commands: AppendCommand[]) => Promise<Array<AppendDecision | EvidenceError>>;

interface Pending {
  command: AppendCommand;
  resolve(decision: AppendDecision): void;
  reject(error: unknown): void;
}

/** A group stops growing at this many events (one oversized append still goes alone). */
export const MAX_GROUP_EVENTS = 5000;

export class GroupCommitQueue {
  private pending: Pending[] = [];
  private draining: Promise<void> | undefined;

  constructor(private readonly commitGroup: CommitGroup) {}

  submit(command: AppendCommand): Promise<AppendDecision> {
    return new Promise<AppendDecision>((resolve, reject) => {
      this.pending.push({ command, resolve, reject });
      // Start after the current synchronous code, so appends issued together (Promise.all) share a group.
      this.draining ??= Promise.resolve().then(() => this.drain());
    });
  }

  /** Resolves when every submitted append has been settled. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        let events = 0;
        let take = 0;
        while (take < this.pending.length && (take === 0 || events + this.pending[take].command.events.length <= MAX_GROUP_EVENTS)) {
          events += this.pending[take].command.events.length;
          take++;
        }
        const group = this.pending.splice(0, take);
        try {
          const outcomes = await this.commitGroup(group.map((p) => p.command));
          group.forEach((p, i) => {
            const outcome = outcomes[i];
            if (outcome instanceof Error) p.reject(outcome);
            else p.resolve(outcome);
          });
        } catch (error) {
          for (const p of group) p.reject(error);
        }
      }
    } finally {
      this.draining = undefined;
    }
  }
}
