/**
 * Turns domain events into evidence envelopes as the store would record them, for tests of what reads
 * evidence (projections) without a store: data is the event minus its type, positions follow on.
 */
import type { JsonObject, RecordedEvidenceEvent } from '../../infra/ports/event-store.port';

export interface DomainEventLike {
  type: string;
  [field: string]: unknown;
}

export class EvidenceLog {
  private position = 0;
  private readonly revisions = new Map<string, number>();
  readonly events: RecordedEvidenceEvent[] = [];

  constructor(private readonly startMs = Date.UTC(2025, 2, 1, 9, 0, 0)) {}

  /** Records the events on `stream` and returns the envelopes. */
  record(stream: string, events: readonly DomainEventLike[]): RecordedEvidenceEvent[] {
    const recorded = events.map((event) => {
      const { type, ...data } = event;
      const revision = (this.revisions.get(stream) ?? -1) + 1;
      this.revisions.set(stream, revision);
      this.position++;
      const envelope: RecordedEvidenceEvent = {
        id: `00000000-0000-4000-8000-${String(this.position).padStart(12, '0')}`,
        stream,
        type,
        revision,
        position: this.position,
        recordedAt: new Date(this.startMs + this.position * 1000).toISOString(),
        data: JSON.parse(JSON.stringify(data)) as JsonObject,
        metadata: { actor: { id: 'test', role: 'engineer' } },
        prevHash: '0'.repeat(64),
        hash: '0'.repeat(64),
      };
      return envelope;
    });
    this.events.push(...recorded);
    return recorded;
  }
}
