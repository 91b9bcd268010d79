/**
 * The API's side of the `managementReview` workflow: planning starts it (refusals decided first, so a plan
 * the rules refuse is a problem+json answer, never a failed workflow), the later steps are Updates, and a
 * review is read from its evidence (the record top management signed, even after the workflow ended). The
 * input pack is verified by compiling it again from the evidence at its recorded position.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { UpdateDefinition } from '@temporalio/common';
import { compileInputsFromStore, type CompiledReviewInputs } from '../../../../activities/management-review.activities';
import {
  decide,
  evolve,
  MANAGEMENT_REVIEW_CATEGORY,
  managementReviewStream,
  managementReviewWorkflowId,
  type ManagementReview,
  type ManagementReviewEvent,
  type ManagementReviewState,
} from '../../../../domain/management-review';
import { managementReviewReport, type ReviewEvidenceIds } from '../../../../domain/management-review/report';
import { renderReportHtml, renderReportMarkdown } from '../../../../domain/report';
import { evidenceBasis } from '../common/evidence-basis';
import { parseAsOf } from '../common/ids';
import type { ReportFormat } from '../common/report-answer';
import type { Actor } from '../../../../domain/shared/roles';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import type { ManagementReviewInput, ManagementReviewStepResult } from '../../../../workflows/management-review.messages';
import { CommandSender, type Answered, type ProcessAddress, type Started } from '../common/command-sender';
import { refusalProblem } from '../common/problem-mapper';
import { problem } from '../common/problems';
import { EVENT_STORE } from '../stores/store.tokens';

export type PlanReviewInput = Omit<ManagementReviewInput, 'by' | 'scheduledFrom' | 'carried'>;

export interface ReviewPage {
  items: ManagementReview[];
  nextCursor: string | null;
}

export interface InputsVerification {
  reviewId: string;
  position: number;
  recordedHash: string;
  recomputedHash: string;
  matches: boolean;
}

const notPlanned = (reviewId: string) =>
  problem(404, 'REVIEW_NOT_PLANNED', `There is no management review ${reviewId}.`, { details: { reviewId } });

const cursorOf = (index: number): string => Buffer.from(String(index), 'utf8').toString('base64url');
function indexOf(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const n = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isInteger(n) || n < 0)
    throw problem(400, 'VALIDATION_FAILED', 'cursor must be a nextCursor returned by this API', {
      errors: [{ field: 'cursor', messages: ['cursor must be a nextCursor returned by this API'] }],
    });
  return n;
}

@Injectable()
export class ManagementReviewProcess {
  constructor(
    private readonly sender: CommandSender,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  address(reviewId: string): ProcessAddress {
    return {
      workflowId: managementReviewWorkflowId(reviewId),
      evidencePath: `/v1/audit/streams/${managementReviewStream(reviewId)}`,
      notRunning: async () =>
        (await this.read(reviewId)) === null
          ? notPlanned(reviewId)
          : problem(409, 'REVIEW_FINISHED', `Management review ${reviewId} is signed off or cancelled.`, { details: { reviewId } }),
    };
  }

  async plan(by: Actor, body: PlanReviewInput): Promise<Started & { reviewId: string }> {
    const decided = decide({ type: 'PlanManagementReview', ...body, by, at: new Date().toISOString() }, null);
    if (!decided.ok) throw refusalProblem(decided.error);
    const input: ManagementReviewInput = { ...body, by };
    const started = await this.sender.start({
      workflowType: 'managementReview',
      to: this.address(body.reviewId),
      args: [input],
      stream: managementReviewStream(body.reviewId),
      alreadyStarted: () =>
        problem(409, 'REVIEW_ALREADY_PLANNED', `Management review ${body.reviewId} is planned already`, {
          details: { reviewId: body.reviewId },
        }),
    });
    return { reviewId: body.reviewId, ...started };
  }

  send<A>(
    reviewId: string,
    update: UpdateDefinition<ManagementReviewStepResult, [A]>,
    arg: A,
  ): Promise<Answered<ManagementReviewStepResult>> {
    return this.sender.update(this.address(reviewId), update, arg);
  }

  /** The review as its evidence records it (null: never planned). */
  async read(reviewId: string): Promise<ManagementReviewState> {
    let state: ManagementReviewState = null;
    for await (const e of this.store.readStream(managementReviewStream(reviewId))) {
      state = evolve(state, { type: e.type, ...e.data } as unknown as ManagementReviewEvent);
    }
    return state;
  }

  /**
   * The review's report (9.3, issue 17 item 6) as of a point of the evidence (default: now): the review
   * folded from its stream up to the basis position, each part with the ids of the events that recorded it.
   */
  async report(reviewId: string, format: ReportFormat, asOfText?: string): Promise<string> {
    const asOf = asOfText === undefined ? undefined : (parseAsOf(asOfText) ?? undefined);
    const basis = await evidenceBasis(this.store, asOf, asOfText);
    let state: ManagementReviewState = null;
    const ids: Required<ReviewEvidenceIds> = { planned: [], inputs: [], minutes: [], decisions: {}, signedOff: [] };
    for await (const e of this.store.readStream(managementReviewStream(reviewId), { asOf: { position: basis.position } })) {
      const event = { type: e.type, ...e.data } as unknown as ManagementReviewEvent;
      state = evolve(state, event);
      if (event.type === 'ManagementReviewPlanned') ids.planned.push(e.id);
      else if (event.type === 'ManagementReviewInputsCompiled') ids.inputs.push(e.id);
      else if (event.type === 'ManagementReviewMinutesRecorded') ids.minutes.push(e.id);
      else if (event.type === 'ManagementReviewDecisionRecorded') ids.decisions[event.decisionId] = [e.id];
      else if (event.type === 'ManagementReviewSignedOff') ids.signedOff.push(e.id);
    }
    if (state === null) throw notPlanned(reviewId);
    const doc = managementReviewReport(state, state.inputs?.pack ?? null, basis, { generatedAt: new Date().toISOString(), evidence: ids });
    return format === 'html' ? renderReportHtml(doc) : renderReportMarkdown(doc);
  }

  /** The reviews in the order they were planned, a page at a time. */
  async list(limit: number, cursor: string | undefined): Promise<ReviewPage> {
    const from = indexOf(cursor);
    const byStream = new Map<string, ManagementReviewState>();
    for await (const e of this.store.readAll({ categories: [MANAGEMENT_REVIEW_CATEGORY] })) {
      byStream.set(e.stream, evolve(byStream.get(e.stream) ?? null, { type: e.type, ...e.data } as unknown as ManagementReviewEvent));
    }
    const all = [...byStream.values()].filter((s): s is ManagementReview => s !== null);
    const items = all.slice(from, from + limit);
    return { items, nextCursor: from + limit < all.length ? cursorOf(from + limit) : null };
  }

  async show(reviewId: string): Promise<ManagementReview> {
    const review = await this.read(reviewId);
    if (review === null) throw notPlanned(reviewId);
    return review;
  }

  /** The pack as it would be compiled now, at a stated position or as of an instant (no step is recorded). */
  preview(reviewId: string, toPosition?: number, asOf?: string): Promise<CompiledReviewInputs> {
    const at = { ...(toPosition === undefined ? {} : { toPosition }), ...(asOf === undefined ? {} : { asOf }) };
    return compileInputsFromStore(this.store, { reviewId, ...at }).catch((error: unknown) => {
      throw problem(400, 'VALIDATION_FAILED', error instanceof Error ? error.message : String(error), {
        errors: [{ field: 'position', messages: [error instanceof Error ? error.message : String(error)] }],
      });
    });
  }

  /** Recompiles the recorded pack from the evidence at its recorded position and compares the hashes. */
  async verify(reviewId: string): Promise<InputsVerification> {
    const review = await this.show(reviewId);
    if (review.inputs === null)
      throw problem(409, 'INPUTS_NOT_COMPILED', `Management review ${reviewId} has no input pack yet.`, { details: { reviewId } });
    const again = await compileInputsFromStore(this.store, { reviewId, toPosition: review.inputs.position });
    return {
      reviewId,
      position: review.inputs.position,
      recordedHash: review.inputs.packHash,
      recomputedHash: again.packHash,
      matches: again.packHash === review.inputs.packHash,
    };
  }
}
