/**
 * The context registers as the evidence records them, folded from their own stream as of any instant or
 * position; and the changes since a position or an instant (the management review's input, 9.3.2 b).
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  AIMS_CONTEXT_STREAM,
  contextChangesSince,
  entriesDueForReview,
  entriesOf,
  evolveRecorded,
  INITIAL_AIMS_CONTEXT_STATE,
  openReviewTaskOf,
  type AimsContextState,
  type ContextRegister,
  type RecordedContextEvent,
} from '../../../../domain/aims-context';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import { EVENT_STORE } from '../stores/store.tokens';
import { parseAsOf } from '../common/ids';
import { invalidField } from '../common/problems';
import type { ContextChangesDto, ContextListDto } from './context.dto';

function when(field: string, raw: string | undefined): { position: number } | { time: string } | undefined {
  if (raw === undefined) return undefined;
  const parsed = parseAsOf(raw);
  if (parsed === null) throw invalidField(field, 'must be an ISO 8601 instant, a date (YYYY-MM-DD) or an evidence position');
  return parsed;
}

@Injectable()
export class ContextReader {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  private async recorded(asOf?: { position: number } | { time: string }): Promise<RecordedContextEvent[]> {
    const out: RecordedContextEvent[] = [];
    for await (const e of this.events.readStream(AIMS_CONTEXT_STREAM, asOf === undefined ? {} : { asOf })) out.push(e);
    return out;
  }

  async state(asOf?: { position: number } | { time: string }): Promise<AimsContextState> {
    return (await this.recorded(asOf)).reduce(evolveRecorded, INITIAL_AIMS_CONTEXT_STATE);
  }

  async list(
    register: ContextRegister,
    asOfRaw: string | undefined,
    includeRetired: boolean,
    dueForReview?: boolean,
  ): Promise<ContextListDto> {
    const asOf = when('asOf', asOfRaw);
    const at = asOf !== undefined && 'time' in asOf ? asOf.time : new Date().toISOString();
    const today = at.slice(0, 10);
    const state = await this.state(asOf);
    const due = new Set(entriesDueForReview(state, at).map((e) => e.entryId));
    const items = entriesOf(state, register, includeRetired)
      .map((e) => ({
        ...e,
        reviewOverdue: e.status === 'active' && e.reviewBy < today,
        dueForReview: due.has(e.entryId),
        reviewTaskId: openReviewTaskOf(state, e.entryId)?.taskId ?? null,
      }))
      .filter((e) => dueForReview === undefined || e.dueForReview === dueForReview);
    return { register, at, items };
  }

  async changesSince(raw: string): Promise<ContextChangesDto> {
    const since = when('since', raw);
    if (since === undefined) throw invalidField('since', 'is required');
    return { since, changes: contextChangesSince(await this.recorded(), since) };
  }
}
