/**
 * The API's side of the `nonconformity` workflow: starts it (after the domain's own `decide` accepted the
 * raise, so a refusal is a problem+json answer rather than a failed workflow), sends people's steps as
 * Workflow Updates, turns refusals into problems, and waits until the read models include what a step
 * recorded, so a GET right after a command sees it.
 */
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { ServiceError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type UpdateDefinition } from '@temporalio/common';
import type { AimsConfig } from '../../../../infra/config/config';
import {
  decide,
  nonconformityStreamName,
  nonconformityWorkflowId,
  type RaiseNonconformity,
} from '../../../../domain/nonconformity';
import { parseFixedDuration } from '../../../../domain/shared/iso-time';
import { isDomainError } from '../../../../domain/shared/domain-error';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import type { ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import { NONCONFORMITIES, type NonconformityRow } from '../../../../infra/projections/read-models';
import {
  DEFAULT_NONCONFORMITY_TIMING,
  type NonconformityStepResult,
  type NonconformityTiming,
  type NonconformityWorkflowInput,
} from '../../../../workflows/nonconformity.workflow';
import { domainActor, type ApiActor } from '../auth/api-actor';
import { invalidField, notFound } from '../common/problems';
import { ProjectionRunnerService } from '../stores/projection-runner.service';
import { EVENT_STORE, READ_MODEL_STORE } from '../stores/store.tokens';
import { AIMS_CONFIG, TemporalClientProvider } from '../temporal-client.provider';
import type { RaiseNonconformityDto } from './nonconformity-commands.dto';
import { nonconformityProblem, refusalProblem } from './nonconformity-problems';

/** How long a raise waits for the workflow to record it before answering 202 instead of 201. */
const RAISE_RECORDED_WITHIN_MS = 10_000;
/** How long a command waits for the read models to include what it recorded. */
const PROJECTED_WITHIN_MS = 5_000;

export interface RaiseOutcome {
  nonconformityId: string;
  /** The evidence of the raise is stored (false: the workflow started but no worker has recorded it yet). */
  recorded: boolean;
  /** The read-model row, when projected in time. */
  row: NonconformityRow | null;
}

export interface StepOutcome extends NonconformityStepResult {
  nonconformityId: string;
  /** Global position of the stream's last event after the step. */
  position: number | null;
  /** The read models include the step (a following GET shows it). */
  projected: boolean;
}

@Injectable()
export class NonconformityWorkflows {
  constructor(
    @Inject(AIMS_CONFIG) private readonly config: AimsConfig,
    private readonly temporal: TemporalClientProvider,
    private readonly projections: ProjectionRunnerService,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
  ) {}

  /** Decides the raise as the domain would, then starts `nonconformity-<id>` and waits for its evidence. */
  async raise(actor: ApiActor, body: RaiseNonconformityDto): Promise<RaiseOutcome> {
    const nonconformityId = body.nonconformityId ?? `nc-${randomUUID()}`;
    const timing: NonconformityTiming = {
      effectivenessReviewDelay: body.effectivenessReviewDelay ?? DEFAULT_NONCONFORMITY_TIMING.effectivenessReviewDelay,
      reminderLeadTime: body.reminderLeadTime ?? DEFAULT_NONCONFORMITY_TIMING.reminderLeadTime,
      escalationDelay: body.escalationDelay ?? DEFAULT_NONCONFORMITY_TIMING.escalationDelay,
    };
    // The review delay is the domain's to judge (it must be positive); the workflow's own durations are ours.
    for (const field of ['reminderLeadTime', 'escalationDelay'] as const) {
      if (parseFixedDuration(timing[field]) === null) throw invalidField(field, `${field} must be an ISO 8601 duration such as P2D`);
    }
    const input: NonconformityWorkflowInput = {
      nonconformityId,
      by: domainActor(actor),
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
    const raise: RaiseNonconformity = { type: 'RaiseNonconformity', ...fields, at: new Date().toISOString(), effectivenessReviewDelay: timing.effectivenessReviewDelay };
    const decided = decide(raise, null);
    if (!decided.ok) throw refusalProblem(decided.error);

    const client = await this.temporal.client().catch(temporalUnavailable);
    try {
      await client.workflow.start('nonconformity', {
        taskQueue: this.config.temporal.taskQueue,
        workflowId: nonconformityWorkflowId(nonconformityId),
        args: [input],
        // An id is used once: a second run would raise it again in the same evidence stream.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        throw nonconformityProblem(409, 'NONCONFORMITY_ALREADY_RAISED', `Nonconformity ${nonconformityId} has already been raised`, { nonconformityId });
      }
      throw asServiceProblem(error);
    }
    const position = await this.firstPosition(nonconformityStreamName(nonconformityId), RAISE_RECORDED_WITHIN_MS);
    if (position === null) return { nonconformityId, recorded: false, row: null };
    await this.projections.waitForPosition(position, PROJECTED_WITHIN_MS);
    return { nonconformityId, recorded: true, row: await this.readModels.get<NonconformityRow>(NONCONFORMITIES, nonconformityId) };
  }

  /**
   * Sends one person's step. The workflow's validator refuses what the domain refuses (its role rules included)
   * (nothing is recorded then); an accepted step answers once its evidence is stored.
   */
  async step<A>(nonconformityId: string, update: UpdateDefinition<NonconformityStepResult, [A]>, arg: A, context: { actionIds?: string[] } = {}): Promise<StepOutcome> {
    const client = await this.temporal.client().catch(temporalUnavailable);
    const handle = client.workflow.getHandle(nonconformityWorkflowId(nonconformityId));
    let result: NonconformityStepResult;
    try {
      result = await handle.executeUpdate(update, { args: [arg] });
    } catch (error) {
      throw await this.problemOf(error, nonconformityId, context);
    }
    const position = await this.lastPosition(nonconformityStreamName(nonconformityId));
    const projected = position !== null && (await this.projections.waitForPosition(position, PROJECTED_WITHIN_MS));
    return { ...result, nonconformityId, position, projected };
  }

  private async problemOf(error: unknown, nonconformityId: string, context: { actionIds?: string[] }): Promise<Error> {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      const refusal = error.cause.details?.[0];
      if (isDomainError(refusal)) return refusalProblem(refusal, context);
      return nonconformityProblem(409, error.cause.type ?? 'REFUSED', error.cause.message);
    }
    if (error instanceof WorkflowNotFoundError) {
      // No running workflow: never raised, or its workflow has ended because it is closed.
      const row = await this.readModels.get<NonconformityRow>(NONCONFORMITIES, nonconformityId);
      if (row?.status === 'closed') {
        return nonconformityProblem(409, 'NONCONFORMITY_CLOSED', `Nonconformity ${nonconformityId} is closed`, { nonconformityId });
      }
      if (row === null) return notFound('nonconformity', nonconformityId);
      return nonconformityProblem(409, 'NONCONFORMITY_WORKFLOW_NOT_RUNNING', `The workflow of nonconformity ${nonconformityId} is not running`, { nonconformityId });
    }
    return asServiceProblem(error);
  }

  /** Polls the stream until its first event is stored; its position, or null after `withinMs`. */
  private async firstPosition(stream: string, withinMs: number): Promise<number | null> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      for await (const event of this.events.readStream(stream, { maxCount: 1 })) return event.position;
      if (Date.now() >= deadline) return null;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async lastPosition(stream: string): Promise<number | null> {
    for await (const event of this.events.readStream(stream, { direction: 'backwards', maxCount: 1 })) return event.position;
    return null;
  }
}

function temporalUnavailable(error: unknown): never {
  throw new ServiceUnavailableException({
    type: 'urn:aims:problem:temporal-unavailable',
    title: 'Service Unavailable',
    status: 503,
    detail: `Temporal cannot be reached: ${error instanceof Error ? error.message : String(error)}`,
  });
}

/** Temporal's own errors (connection, RPC) are the service being unavailable; anything else is ours (500). */
function asServiceProblem(error: unknown): Error {
  if (error instanceof ServiceError) {
    return new ServiceUnavailableException({ type: 'urn:aims:problem:temporal-unavailable', title: 'Service Unavailable', status: 503, detail: error.message });
  }
  return error instanceof Error ? error : new Error(String(error));
}
