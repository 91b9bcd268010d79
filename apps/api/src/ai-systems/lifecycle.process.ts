/**
 * The API's side of the `aiSystemLifecycle` workflow: how its commands are addressed (workflow id, what it
 * means that none runs), registration (starting it) and where a deployment request stands (its query).
 * Commands go through the one CommandSender; the rules stay in the workflow and the domain.
 */
import { HttpException, Inject, Injectable } from '@nestjs/common';
import type { UpdateDefinition } from '@temporalio/common';
import {
  aiSystemStreamName,
  commandRefusal,
  INITIAL_AI_SYSTEM_STATE,
  lifecycleWorkflowId,
  type DeploymentRequestView,
  type RegisterAiSystem,
} from '../../../../domain/ai-system';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import type { ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import { AI_SYSTEM_INVENTORY, type AiSystemInventoryRow } from '../../../../infra/projections/read-models';
import { deploymentRequestQuery, type AiSystemLifecycleInput } from '../../../../workflows/ai-system-lifecycle.messages';
import { CommandSender, type Answered, type ProcessAddress } from '../common/command-sender';
import { refusalProblem } from '../common/problem-mapper';
import { problem } from '../common/problems';
import { EVENT_STORE, READ_MODEL_STORE } from '../stores/store.tokens';
import type { AiSystemRegisteredDto, Registration } from './dto/registration.dto';
import { LifecyclePolicyReader } from '../lifecycle-policy/lifecycle-policy-reader';

@Injectable()
export class LifecycleProcess {
  constructor(
    private readonly sender: CommandSender,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly policies: LifecyclePolicyReader,
  ) {}

  /** The lifecycle of `systemId`; when none runs, the system was never registered (404) or its lifecycle ended (409). */
  address(systemId: string): ProcessAddress {
    return {
      workflowId: lifecycleWorkflowId(systemId),
      evidencePath: `/v1/ai-systems/${encodeURIComponent(systemId)}/evidence`,
      notRunning: () => this.notRunning(systemId),
    };
  }

  /**
   * Sends one Update to the system's lifecycle. `notFound`: refusal codes that mean the path names
   * something that does not exist (404 here).
   */
  send<A, R extends { lastPosition: number | null }>(
    systemId: string,
    update: UpdateDefinition<R, [A]>,
    arg: A,
    notFound: readonly string[] = [],
  ): Promise<Answered<R>> {
    return this.sender.update(this.address(systemId), update, arg, { notFound });
  }

  /**
   * Registers a system: judged by the domain's own `decide` on the initial state first (a refused
   * registration never starts a workflow), refused when the system already has evidence or a workflow,
   * then started; answers once the registration is in the evidence (202 "registering" otherwise).
   */
  async register(asked: Registration): Promise<AiSystemRegisteredDto> {
    const { systemId } = asked;
    // The system's policy is the organisation's, read from its evidence here: never the caller's.
    const registration: Registration = { ...asked, organisationPolicy: await this.policies.snapshotFor(systemId) };
    const command: RegisterAiSystem = { ...registration, type: 'RegisterAiSystem', at: new Date().toISOString() };
    const refused = commandRefusal(command, INITIAL_AI_SYSTEM_STATE);
    if (refused) throw refusalProblem(refused);
    const stream = aiSystemStreamName(systemId);
    // Evidence outlives workflow histories (Temporal deletes closed ones after retention): check both.
    if ((await this.events.streamRevision(stream)) !== null) throw alreadyRegistered(systemId);
    const to = this.address(systemId);
    const started = await this.sender.start({
      workflowType: 'aiSystemLifecycle',
      to,
      args: [{ registration } satisfies AiSystemLifecycleInput],
      stream,
      alreadyStarted: () => alreadyRegistered(systemId),
    });
    return {
      systemId,
      workflowId: to.workflowId,
      stream,
      stage: started.recorded ? 'registered' : 'registering',
      lastPosition: started.lastPosition,
      projected: started.projected,
    };
  }

  /** Where a deployment request stands now, from the workflow itself (not a projection). */
  async deploymentRequest(systemId: string, requestId: string): Promise<DeploymentRequestView> {
    const view = await this.sender.query(this.address(systemId), deploymentRequestQuery, requestId);
    if (view === null)
      throw problem(404, 'DEPLOYMENT_REQUEST_UNKNOWN', `AI system ${systemId} has no deployment request ${requestId}.`, {
        details: { systemId, requestId },
      });
    return view;
  }

  private async notRunning(systemId: string): Promise<HttpException> {
    if ((await this.events.streamRevision(aiSystemStreamName(systemId))) === null) {
      return problem(404, 'AI_SYSTEM_NOT_REGISTERED', `There is no AI system ${systemId}.`, { details: { systemId } });
    }
    const row = await this.readModels.get<AiSystemInventoryRow>(AI_SYSTEM_INVENTORY, systemId);
    if (row?.stage === 'decommissioned') {
      return problem(409, 'AI_SYSTEM_DECOMMISSIONED', `AI system ${systemId} has been decommissioned; nothing more can happen to it.`, {
        details: { systemId },
      });
    }
    // Ended some other way (terminated by an operator?): the rules cannot be applied without it.
    return problem(
      409,
      'LIFECYCLE_NOT_RUNNING',
      `The lifecycle workflow of AI system ${systemId} is not running; an operator must look at ${lifecycleWorkflowId(systemId)}.`,
      {
        details: { systemId },
      },
    );
  }
}

function alreadyRegistered(systemId: string): HttpException {
  return problem(409, 'AI_SYSTEM_ALREADY_REGISTERED', `AI system ${systemId} is already registered.`, { details: { systemId } });
}
