/**
 * A small, realistic body of evidence made by the real deciders: three AI systems at different stages
 * (one in production, one awaiting its impact-assessment review, one in validation) and two
 * nonconformities (one with an approved plan whose actions are overdue today, one just raised).
 */
import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvidenceEvent } from '../../infra/ports/event-store.port';
import { givenScenario, register, submitIa, toProduction, toValidation } from '../unit/domain/ai-system/scenario';
import { approvedPlanHistory, history, raise } from '../unit/domain/nonconformity/nonconformity-fixtures';
import type { DomainEventLike } from './recorded-events';

export interface SampleStream {
  stream: string;
  events: DomainEventLike[];
}

export function sampleEvidence(): SampleStream[] {
  return [
    { stream: 'ai-system-credit-scoring', events: givenScenario(...toProduction()).events },
    {
      stream: 'ai-system-support-llm',
      events: givenScenario(
        register({
          systemId: 'support-llm',
          name: 'Customer support assistant',
          provider: { kind: 'third_party_api', supplier: 'LLM Provider Ltd' },
          riskTier: 'limited',
        }),
        submitIa(),
      ).events,
    },
    {
      stream: 'ai-system-vision-qc',
      events: givenScenario(
        ...toValidation({
          systemId: 'vision-qc',
          name: 'Vision quality inspection',
          provider: { kind: 'deployed', supplier: 'Vision Models Inc' },
          riskTier: 'minimal',
          owner: 'otto',
        }),
      ).events,
    },
    { stream: 'nonconformity-nc-2025-001', events: approvedPlanHistory() },
    {
      stream: 'nonconformity-nc-2025-002',
      events: history(raise({ nonconformityId: 'nc-2025-002', severity: 'minor', aiSystemIds: ['support-llm'] })),
    },
  ];
}

export function asNewEvents(events: readonly DomainEventLike[]): NewEvidenceEvent[] {
  return events.map((event) => {
    const { type, ...data } = event;
    return {
      id: randomUUID(),
      type,
      data: JSON.parse(JSON.stringify(data)),
      metadata: { actor: { id: 'test', role: 'engineer' }, source: 'test' },
    };
  });
}

/** Appends the sample, stream after stream, in slices so streams interleave in the global order. */
export async function appendSample(store: EventStore, sample: SampleStream[] = sampleEvidence()): Promise<number> {
  const cursors = sample.map(() => 0);
  let last = 0;
  for (let round = 0; cursors.some((c, i) => c < (sample[i]?.events.length ?? 0)); round++) {
    for (const [i, s] of sample.entries()) {
      const from = cursors[i];
      const slice = s.events.slice(from, from + 3);
      if (slice.length === 0) continue;
      cursors[i] = from + slice.length;
      last = (await store.append(s.stream, asNewEvents(slice))).lastPosition;
    }
  }
  return last;
}
