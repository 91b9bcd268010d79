/**
 * Reads the AI policy in force at an instant (5.2, A.2.2), for the gates that record it with their decision
 * (domain/shared/policy-in-force.ts): every document of kind `ai_policy`, folded from its own evidence with
 * the document domain's `evolve`, and the version it had in force then. Read from the evidence rather than
 * a read model so the answer never lags the projector. Both reads stream: the documents' creations are
 * filtered by category and type in the store, and each policy's stream is folded one event at a time.
 *
 * This runs on every deployment decision, and the store has no index by type: so the worker remembers the
 * policy streams it has found and the position it has looked up to, and each call scans only the events
 * appended since (a document's creation is never removed, so what was found stays true).
 */
import { ApplicationFailure } from '@temporalio/activity';
import { DOCUMENT_CATEGORY, evolve as evolveDocument, versionInForceAt, type DocumentEvent, type DocumentState } from '../domain/document';
import { isIsoTimestamp } from '../domain/shared/iso-time';
import { AI_POLICY_SOURCE, type AiPolicyInForce, type AiPolicyVersionRef } from '../domain/shared/policy-in-force';
import type { EventStore } from '../infra/ports/event-store.port';

export interface AiPolicyActivities {
  aiPolicyInForce(input: { at: string }): Promise<AiPolicyInForce>;
}

export function createAiPolicyActivities(store: EventStore): AiPolicyActivities {
  const known = new Set<string>();
  let scannedTo = 0;
  return {
    async aiPolicyInForce(input: { at: string }): Promise<AiPolicyInForce> {
      if (!isIsoTimestamp(input?.at)) throw ApplicationFailure.nonRetryable('`at` must be an ISO-8601 timestamp', 'INVALID_INSTANT');
      const head = (await store.head())?.position ?? 0;
      if (head > scannedTo) {
        const from = scannedTo + 1;
        for await (const created of store.readAll({
          fromPosition: from,
          toPosition: head,
          categories: [DOCUMENT_CATEGORY],
          types: ['DocumentCreated'],
        })) {
          if (created.data.kind === 'ai_policy') known.add(created.stream);
        }
        scannedTo = Math.max(scannedTo, head);
      }
      const streams = [...known];
      const policies: AiPolicyVersionRef[] = [];
      for (const stream of streams) {
        let state: DocumentState = null;
        for await (const event of store.readStream(stream)) {
          state = evolveDocument(state, { ...event.data, type: event.type } as unknown as DocumentEvent);
        }
        // Versions published later are left out by their own instant (the domain's clock), not the store's.
        if (state === null) continue;
        const v = versionInForceAt(state, input.at);
        if (v === null || v.publishedAt === null) continue;
        policies.push({
          documentId: state.documentId,
          title: state.title,
          version: v.version,
          markdownDigest: v.markdownDigest,
          attachmentDigests: v.attachments.map((a) => a.digest),
          publishedAt: v.publishedAt,
        });
      }
      policies.sort((a, b) => a.documentId.localeCompare(b.documentId));
      return { asOf: input.at, policies, source: AI_POLICY_SOURCE };
    },
  };
}
