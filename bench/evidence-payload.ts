/** The event the evidence-store benches append: one payload, so bench:event-store and bench:tree measure the same bytes. */
import { createHash, randomUUID } from 'node:crypto';
import type { NewEvidenceEvent } from '../infra/ports/event-store.port';

/** A payload shaped like real lifecycle evidence (~600 bytes of canonical JSON). */
export function benchPayload(writer: number, i: number): NewEvidenceEvent {
  return {
    id: randomUUID(),
    type: 'ValidationResultsRecorded',
    data: {
      aiSystemId: `bench-${writer}`,
      modelVersion: `1.${i % 50}.0`,
      artifactDigest: `sha256:${createHash('sha256').update(`${writer}-${i}`).digest('hex')}`,
      datasets: ['ds-train-2026-10', 'ds-eval-2026-10'],
      metrics: { accuracy: 0.9 + (i % 10) / 1000, falsePositiveRate: 0.02, demographicParityGap: 0.031 },
    },
    metadata: {
      actor: { id: 'ci-pipeline', role: 'ci' },
      workflowId: `ai-system-lifecycle-bench-${writer}`,
      runId: '7d1f3a52-0a38-4c38-9f0e-2f5c3f6b1c11',
      correlationId: `corr-${i}`,
      source: 'bench',
    },
  };
}
