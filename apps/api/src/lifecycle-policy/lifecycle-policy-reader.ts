/**
 * The organisation's lifecycle policy as its evidence records it: what registrations and applications
 * put a lifecycle under. Folded from the evidence store one event at a time (memory does not grow with
 * the stream), so it is the record an auditor reads and no caller's input can alter it.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { PolicySnapshot } from '../../../../domain/ai-system/organisation-policy';
import {
  evolveRecorded,
  INITIAL_LIFECYCLE_POLICY_STATE,
  LIFECYCLE_POLICY_STREAM,
  snapshotFor,
  type LifecyclePolicyState,
} from '../../../../domain/lifecycle-policy';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import { EVENT_STORE } from '../stores/store.tokens';

@Injectable()
export class LifecyclePolicyReader {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  async current(): Promise<LifecyclePolicyState> {
    let state = INITIAL_LIFECYCLE_POLICY_STATE;
    for await (const e of this.events.readStream(LIFECYCLE_POLICY_STREAM)) state = evolveRecorded(state, e);
    return state;
  }

  /** What a lifecycle of `systemId` runs under now. */
  async snapshotFor(systemId: string): Promise<PolicySnapshot> {
    return snapshotFor(await this.current(), systemId);
  }
}
