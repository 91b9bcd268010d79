/**
 * The API's side of the `aiSystemLifecycle` workflow: starts it (registration), sends it Updates, asks it
 * where a deployment request stands, and turns its refusals into problem+json. After a step the answer
 * waits until the read models include the step's evidence, so the caller's next GET shows it.
 *
 * The rules stay in the workflow and the domain; this class only carries commands and answers. The
 * actor is always the token's holder: controllers pass `domainActor(actor)`, never anything from a body.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  ApplicationFailure,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import {
  aiSystemStreamName,
  commandRefusal,
  INITIAL_AI_SYSTEM_STATE,
  lifecycleWorkflowId,
  type DeploymentRequestView,
  type RegisterAiSystem,
} from '../../../../domain/ai-system';
import type { AimsConfig } from '../../../../infra/config/config';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import type { ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import { AI_SYSTEM_INVENTORY, type AiSystemInventoryRow } from '../../../../infra/projections/read-models';
import type { AiSystemLifecycleInput, LifecycleStepResult } from '../../../../workflows/ai-system-lifecycle.workflow';
import { deploymentRequestQuery } from '../../../../workflows/ai-system-lifecycle.workflow';
import type { aiSystemLifecycle } from '../../../../workflows';
import { ProjectionRunnerService } from '../stores/projection-runner.service';
import { EVENT_STORE, READ_MODEL_STORE } from '../stores/store.tokens';
import { AIMS_CONFIG, TemporalClientProvider } from '../temporal-client.provider';
import { conflictProblem, domainErrorOf, domainProblem, notFoundProblem, unavailableProblem } from './lifecycle-problems';

/** How long a step may take before the caller is told to look again (evidence may still land). */
const UPDATE_DEADLINE_MS = 30_000;
/** How long a registration may take to be recorded before 202 "still registering" is answered. */
const REGISTRATION_WAIT_MS = 15_000;

export type Registration = AiSystemLifecycleInput['registration'];

export interface RegistrationOutcome {
  systemId: string;
  workflowId: string;
  stream: string;
  /** false when the workflow started but had not recorded the registration when we stopped waiting. */
  recorded: boolean;
  evidencePosition: number | null;
}

export type StepAnswer<R> = R & { evidencePosition: number | null };

@Injectable()
export class LifecycleCommandsService {
  private readonly logger = new Logger('LifecycleCommands');

  constructor(
    private readonly temporal: TemporalClientProvider,
    private readonly projections: ProjectionRunnerService,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(AIMS_CONFIG) private readonly config: AimsConfig,
  ) {}

  /**
   * Registers a system: judged by the domain's own `decide` on the initial state first (so a refused
   * registration never starts a workflow), refused when the system already has evidence or a workflow,
   * then started on the configured task queue; answers once the registration is in the evidence.
   */
  async register(registration: Registration): Promise<RegistrationOutcome> {
    const { systemId } = registration;
    const command: RegisterAiSystem = { ...registration, type: 'RegisterAiSystem', at: new Date().toISOString() };
    const refused = commandRefusal(command, INITIAL_AI_SYSTEM_STATE);
    if (refused) throw domainProblem(refused);

    const workflowId = lifecycleWorkflowId(systemId);
    const stream = aiSystemStreamName(systemId);
    // Evidence outlives workflow histories (Temporal deletes closed ones after retention): check both.
    if ((await this.events.streamRevision(stream)) !== null) throw alreadyRegistered(systemId);
    const client = await this.client();
    try {
      await client.workflow.start<typeof aiSystemLifecycle>('aiSystemLifecycle', {
        taskQueue: this.config.temporal.taskQueue,
        workflowId,
        // A system id is never reused, even after its lifecycle ended: its evidence stream is forever.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [{ registration } satisfies AiSystemLifecycleInput],
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) throw alreadyRegistered(systemId);
      throw this.unavailable(error, 'start the lifecycle workflow');
    }
    const position = await this.waitForStream(stream, REGISTRATION_WAIT_MS);
    if (position !== null) await this.projections.waitForPosition(position);
    return { systemId, workflowId, stream, recorded: position !== null, evidencePosition: position };
  }

  /**
   * Sends an Update to the system's lifecycle and waits for the read models to include its evidence.
   * `pathResources`: refusal codes meaning the path names something that does not exist (404).
   */
  async update<R extends LifecycleStepResult, A>(
    systemId: string,
    definition: UpdateDefinition<R, [A]>,
    arg: A,
    pathResources: readonly string[] = [],
  ): Promise<StepAnswer<R>> {
    const client = await this.client();
    const handle = client.workflow.getHandle(lifecycleWorkflowId(systemId));
    let answer: R;
    try {
      answer = await client.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () => handle.executeUpdate(definition, { args: [arg] }));
    } catch (error) {
      throw await this.updateProblem(error, systemId, pathResources);
    }
    const evidencePosition = answer.recorded.length > 0 ? await this.streamTail(aiSystemStreamName(systemId)) : null;
    if (evidencePosition !== null) await this.projections.waitForPosition(evidencePosition);
    return { ...answer, evidencePosition };
  }

  /** Where a deployment request stands now, from the workflow itself (not a projection). */
  async deploymentRequest(systemId: string, requestId: string): Promise<DeploymentRequestView> {
    const client = await this.client();
    let view: DeploymentRequestView | null;
    try {
      view = await client.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () =>
        client.workflow.getHandle(lifecycleWorkflowId(systemId)).query(deploymentRequestQuery, requestId),
      );
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw notFoundProblem('AI_SYSTEM_NOT_REGISTERED', `There is no AI system ${systemId}.`);
      throw this.unavailable(error, 'query the lifecycle workflow');
    }
    if (view === null) throw notFoundProblem('DEPLOYMENT_REQUEST_UNKNOWN', `AI system ${systemId} has no deployment request ${requestId}.`);
    return view;
  }

  private async client(): Promise<Client> {
    try {
      return await this.temporal.client();
    } catch (error) {
      throw this.unavailable(error, 'connect to Temporal');
    }
  }

  private async updateProblem(error: unknown, systemId: string, pathResources: readonly string[]): Promise<unknown> {
    if (error instanceof WorkflowUpdateFailedError) {
      const cause = error.cause;
      if (cause instanceof ApplicationFailure) {
        const domain = domainErrorOf(cause.details);
        if (domain) return domainProblem(domain, pathResources);
        return conflictProblem(cause.type ?? 'UPDATE_REFUSED', cause.message);
      }
      return unavailableProblem(`The lifecycle of ${systemId} failed the step: ${cause?.message ?? error.message}`);
    }
    if (error instanceof WorkflowNotFoundError) {
      // No running lifecycle: either there never was one, or it ended and its evidence stays.
      if ((await this.events.streamRevision(aiSystemStreamName(systemId))) === null) {
        return notFoundProblem('AI_SYSTEM_NOT_REGISTERED', `There is no AI system ${systemId}.`);
      }
      const row = await this.readModels.get<AiSystemInventoryRow>(AI_SYSTEM_INVENTORY, systemId);
      if (row?.stage === 'decommissioned') {
        return conflictProblem('AI_SYSTEM_DECOMMISSIONED', `AI system ${systemId} has been decommissioned; nothing more can happen to it.`, { systemId });
      }
      // Ended some other way (terminated by an operator?): the rules cannot be applied without it.
      return conflictProblem('LIFECYCLE_NOT_RUNNING', `The lifecycle workflow of AI system ${systemId} is not running; an operator must look at ${lifecycleWorkflowId(systemId)}.`, {
        systemId,
      });
    }
    if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
      return unavailableProblem(
        `The lifecycle of ${systemId} did not answer within ${UPDATE_DEADLINE_MS / 1000} s (is a worker running?). The step may still be recorded: read /v1/ai-systems/${systemId}/evidence before sending it again.`,
      );
    }
    return this.unavailable(error, 'send the step to the lifecycle workflow');
  }

  private unavailable(error: unknown, what: string): unknown {
    this.logger.warn(`could not ${what}: ${error instanceof Error ? error.message : String(error)}`);
    return unavailableProblem(`Could not ${what}: ${error instanceof Error ? error.message : String(error)}`);
  }

  /** Position of the stream's last event, or null when it has none. */
  private async streamTail(stream: string): Promise<number | null> {
    for await (const event of this.events.readStream(stream, { direction: 'backwards', maxCount: 1 })) return event.position;
    return null;
  }

  /** Polls until the stream has evidence (the workflow records the registration on its first task). */
  private async waitForStream(stream: string, timeoutMs: number): Promise<number | null> {
    const deadline = Date.now() + timeoutMs;
    for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
      const position = await this.streamTail(stream);
      if (position !== null || Date.now() >= deadline) return position;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

function alreadyRegistered(systemId: string) {
  return conflictProblem('AI_SYSTEM_ALREADY_REGISTERED', `AI system ${systemId} is already registered.`, { systemId });
}
