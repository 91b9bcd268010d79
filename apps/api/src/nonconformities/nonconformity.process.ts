/**
 * The API's side of the `nonconformity` workflow: how its commands are addressed (workflow id, what it
 * means that none runs) and raising one (starting it, after the domain's own `decide` accepted the raise,
 * so a refusal is a problem+json answer rather than a failed workflow). Steps go through the one
 * CommandSender; who may take them is the domain's rule (authority.ts), which the workflow applies.
 */
import { randomUUID } from 'node:crypto';
import { HttpException, Inject, Injectable } from '@nestjs/common';
import type { UpdateDefinition } from '@temporalio/common';
import {
  decideWithinBounds,
  followUpDurationIssue,
  NONCONFORMITY_COMMAND_ROLES,
  nonconformityStreamName,
  nonconformityWorkflowId,
  reviewDelayIssue,
  type RaiseNonconformity,
} from '../../../../domain/nonconformity';
import type { ValidationIssue } from '../../../../domain/shared/validation';
import type { AimsConfig } from '../../../../infra/config/config';
import type { Actor, AimsRole } from '../../../../domain/shared/roles';
import type { ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import { NONCONFORMITIES, type NonconformityRow } from '../../../../infra/projections/read-models';
import {
  approveCorrectiveActionPlanUpdate,
  DEFAULT_NONCONFORMITY_TIMING,
  rejectCorrectiveActionPlanUpdate,
  type NonconformityStepResult,
  type NonconformityTiming,
  type NonconformityWorkflowInput,
} from '../../../../workflows/nonconformity.messages';
import { CommandSender, type Answered, type ProcessAddress, type RefusalContext } from '../common/command-sender';
import { refusalProblem } from '../common/problem-mapper';
import { invalidField, problem, validationFailed } from '../common/problems';
import { READ_MODEL_STORE } from '../stores/store.tokens';
import { AIMS_CONFIG } from '../temporal-client.provider';
import type { RaiseNonconformityDto } from './nonconformity-commands.dto';

/** Who may decide a plan: who may approve or reject one (the domain also refuses its author). */
export const PLAN_DECIDERS: readonly AimsRole[] = [
  ...new Set([...NONCONFORMITY_COMMAND_ROLES.ApproveCorrectiveActionPlan, ...NONCONFORMITY_COMMAND_ROLES.RejectCorrectiveActionPlan]),
];

/** A step's answer: what it recorded, the nonconformity after it, and its projection. */
export type NonconformityStep = Answered<NonconformityStepResult> & { nonconformityId: string };

export interface Raised {
  nonconformityId: string;
  /** false: the workflow started but no worker has recorded the raise yet. */
  recorded: boolean;
  /** The read-model row, when projected in time. */
  row: NonconformityRow | null;
  lastPosition: number | null;
  projected: boolean;
}

/** A decision on a plan as a person gives it: approve with a comment, or reject with reasons. */
export interface PlanDecision {
  outcome: 'approve' | 'reject';
  reasons?: string[];
  comment?: string | null;
}

@Injectable()
export class NonconformityProcess {
  constructor(
    private readonly sender: CommandSender,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(AIMS_CONFIG) private readonly config: AimsConfig,
  ) {}

  /** The workflow of nonconformity `id`; when none runs, it was never raised (404) or it is closed (409). */
  address(id: string): ProcessAddress {
    return {
      workflowId: nonconformityWorkflowId(id),
      evidencePath: `/v1/nonconformities/${encodeURIComponent(id)}`,
      notRunning: () => this.notRunning(id),
    };
  }

  /** Sends one person's step to the nonconformity's workflow. */
  async send<A>(
    id: string,
    update: UpdateDefinition<NonconformityStepResult, [A]>,
    arg: A,
    context: RefusalContext = {},
  ): Promise<NonconformityStep> {
    return { nonconformityId: id, ...(await this.sender.update(this.address(id), update, arg, context)) };
  }

  /** Approves or rejects the plan awaiting its decision; a rejection gives reasons, an approval may comment. */
  decidePlan(id: string, planId: string, decision: PlanDecision, by: Actor): Promise<NonconformityStep> {
    if (decision.outcome === 'approve') {
      if (decision.reasons !== undefined) throw invalidField('reasons', 'reasons go with a rejection; an approval takes a comment');
      return this.send(id, approveCorrectiveActionPlanUpdate, { by, planId, comment: decision.comment ?? null });
    }
    if (decision.reasons === undefined) throw invalidField('reasons', 'reasons are required to reject a plan');
    if (decision.comment !== undefined && decision.comment !== null)
      throw invalidField('comment', 'a rejection gives its reasons, not a comment');
    return this.send(id, rejectCorrectiveActionPlanUpdate, { by, planId, reasons: [...decision.reasons] });
  }

  /** Decides the raise as the domain would (who may raise it included, within its bounds), then starts `nonconformity-<id>` and waits for its evidence. */
  async raise(by: Actor, body: RaiseNonconformityDto): Promise<Raised> {
    const nonconformityId = body.nonconformityId ?? `nc-${randomUUID()}`;
    const timing: NonconformityTiming = {
      effectivenessReviewDelay: body.effectivenessReviewDelay ?? DEFAULT_NONCONFORMITY_TIMING.effectivenessReviewDelay,
      reminderLeadTime: body.reminderLeadTime ?? DEFAULT_NONCONFORMITY_TIMING.reminderLeadTime,
      escalationDelay: body.escalationDelay ?? DEFAULT_NONCONFORMITY_TIMING.escalationDelay,
    };
    // The domain's bounds (domain/nonconformity/bounds.ts), the review delay's floor as this deployment sets it.
    const issues = [
      reviewDelayIssue(timing.effectivenessReviewDelay, this.config.nonconformities.minReviewDelayMs),
      followUpDurationIssue('reminderLeadTime', timing.reminderLeadTime),
      followUpDurationIssue('escalationDelay', timing.escalationDelay),
    ].filter((i): i is ValidationIssue => i !== null);
    if (issues.length > 0) throw validationFailed(issues.map((i) => ({ field: i.field, messages: [`${i.field} ${i.problem}`] })));
    const input: NonconformityWorkflowInput = {
      nonconformityId,
      by,
      title: body.title,
      description: body.description,
      source: body.source,
      sourceReference: body.sourceReference ?? null,
      severity: body.severity,
      aiSystemIds: body.aiSystemIds ?? [],
      annexAControlIds: body.annexAControlIds ?? [],
      clauseIds: body.clauseIds ?? [],
      timing,
    };
    const { timing: _timing, ...fields } = input;
    const raise: RaiseNonconformity = {
      type: 'RaiseNonconformity',
      ...fields,
      at: new Date().toISOString(),
      effectivenessReviewDelay: timing.effectivenessReviewDelay,
    };
    const decided = decideWithinBounds(raise, null);
    if (!decided.ok) throw refusalProblem(decided.error);

    const started = await this.sender.start({
      workflowType: 'nonconformity',
      to: this.address(nonconformityId),
      args: [input],
      stream: nonconformityStreamName(nonconformityId),
      alreadyStarted: () =>
        problem(409, 'NONCONFORMITY_ALREADY_RAISED', `Nonconformity ${nonconformityId} has already been raised`, {
          details: { nonconformityId },
        }),
    });
    const row = started.projected ? await this.readModels.get<NonconformityRow>(NONCONFORMITIES, nonconformityId) : null;
    return { nonconformityId, ...started, row };
  }

  private async notRunning(id: string): Promise<HttpException> {
    const row = await this.readModels.get<NonconformityRow>(NONCONFORMITIES, id);
    if (row === null)
      return problem(404, 'NONCONFORMITY_NOT_RAISED', `There is no nonconformity ${id}.`, { details: { nonconformityId: id } });
    // Its workflow ends when it closes.
    if (row.status === 'closed')
      return problem(409, 'NONCONFORMITY_CLOSED', `Nonconformity ${id} is closed`, { details: { nonconformityId: id } });
    return problem(409, 'NONCONFORMITY_WORKFLOW_NOT_RUNNING', `The workflow of nonconformity ${id} is not running`, {
      details: { nonconformityId: id },
    });
  }
}
