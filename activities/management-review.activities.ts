/**
 * Compiles a management review's input pack (9.3.2) from the evidence store: it streams the log from the
 * first event to the position it reads as the head when it starts (or to `toPosition`), folding each event
 * through the pure compiler (domain/management-review/inputs.ts), so memory grows with the records a review
 * considers and never with the log. The pack's hash is the SHA-256 of its canonical JSON; verifying a review
 * is compiling again to its recorded position and comparing the hashes.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { packHashOf, ReviewInputCompiler, type ReviewInputPack } from '../domain/management-review/inputs';
import type { EventStore } from '../infra/ports/event-store.port';

export interface CompileReviewInputsRequest {
  reviewId: string;
  /** Compile up to this position (a verifier's recorded one); default: the head when reading starts. */
  toPosition?: number;
  /** Or up to the last event recorded at or before this instant (`--as-of`). */
  asOf?: string;
}

export interface CompiledReviewInputs {
  position: number;
  packHash: string;
  pack: ReviewInputPack;
}

export interface ManagementReviewActivities {
  compileManagementReviewInputs(request: CompileReviewInputsRequest): Promise<CompiledReviewInputs>;
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The pack at a position (the head when none is given), streamed from the store. */
export async function compileInputsFromStore(store: EventStore, request: CompileReviewInputsRequest): Promise<CompiledReviewInputs> {
  const head = (await store.head())?.position ?? 0;
  const to = request.toPosition ?? head;
  if (!Number.isInteger(to) || to < 0 || to > head)
    throw ApplicationFailure.nonRetryable(`position ${String(to)} is not in the log (its head is ${head})`, 'POSITION_NOT_IN_LOG');
  const asOf = request.asOf === undefined ? null : Date.parse(request.asOf);
  if (asOf !== null && Number.isNaN(asOf))
    throw ApplicationFailure.nonRetryable(`${String(request.asOf)} is not an ISO 8601 instant`, 'INVALID_AS_OF');
  const compiler = new ReviewInputCompiler({ reviewId: request.reviewId });
  if (to > 0)
    for await (const event of store.readAll({ fromPosition: 1, toPosition: to })) {
      if (asOf !== null && Date.parse(event.recordedAt) > asOf) break; // positions are in recording order
      compiler.add(event);
    }
  const pack = compiler.pack();
  return { position: pack.position, packHash: packHashOf(pack, sha256Hex), pack };
}

export function createManagementReviewActivities(store: EventStore): ManagementReviewActivities {
  return {
    compileManagementReviewInputs: (request) => compileInputsFromStore(store, request),
  };
}
