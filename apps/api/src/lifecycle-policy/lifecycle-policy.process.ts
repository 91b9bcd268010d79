/**
 * The API's side of the `lifecyclePolicy` workflow: the policy in force (folded from its evidence, the
 * record an auditor reads too), proposals and decisions (Updates), and putting lifecycles under the
 * version in force. The rules stay in domain/lifecycle-policy and domain/ai-system.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { isDomainError } from '../../../../domain/shared/domain-error';
import type { HumanTaskOutcome } from '../../../../domain/shared/human-task';
import type { Actor } from '../../../../domain/shared/roles';
import {
  LIFECYCLE_POLICY_STREAM,
  LIFECYCLE_POLICY_WORKFLOW_ID,
  type LifecyclePolicyState,
  type PolicyChangeScope,
  snapshotFor,
} from '../../../../domain/lifecycle-policy';
import type { PolicySnapshot } from '../../../../domain/ai-system/organisation-policy';
import type { AimsConfig } from '../../../../infra/config/config';
import type { ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import { AI_SYSTEM_INVENTORY } from '../../../../infra/projections/read-models';
import { applyLifecyclePolicyUpdate, type LifecyclePolicyAppliedResult } from '../../../../workflows/ai-system-lifecycle.messages';
import {
  decidePolicyChangeUpdate,
  proposePolicyChangeUpdate,
  type LifecyclePolicyInput,
  type PolicyStepResult,
  type ProposePolicyChangeInput,
} from '../../../../workflows/lifecycle-policy.messages';
import { LifecycleProcess } from '../ai-systems/lifecycle.process';
import { CommandSender, type Answered, type ProcessAddress } from '../common/command-sender';
import { problem, unavailable } from '../common/problems';
import { READ_MODEL_STORE } from '../stores/store.tokens';
import { LifecyclePolicyReader } from './lifecycle-policy-reader';
import { AIMS_CONFIG, TemporalClientProvider } from '../temporal-client.provider';
import type { PolicyApplicationDto } from './lifecycle-policy.dto';

const ADDRESS: ProcessAddress = {
  workflowId: LIFECYCLE_POLICY_WORKFLOW_ID,
  evidencePath: `/v1/audit/streams/${LIFECYCLE_POLICY_STREAM}`,
  notRunning: () =>
    Promise.resolve(problem(409, 'LIFECYCLE_POLICY_NOT_RUNNING', "The organisation's lifecycle-policy workflow has ended.")),
};

@Injectable()
export class LifecyclePolicyProcess {
  private readonly logger = new Logger('LifecyclePolicy');

  constructor(
    private readonly sender: CommandSender,
    private readonly temporal: TemporalClientProvider,
    private readonly lifecycles: LifecycleProcess,
    private readonly reader: LifecyclePolicyReader,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(AIMS_CONFIG) private readonly config: AimsConfig,
  ) {}

  /** The policy in force and every change, as its evidence records them. */
  current(): Promise<LifecyclePolicyState> {
    return this.reader.current();
  }

  async propose(input: ProposePolicyChangeInput): Promise<Answered<PolicyStepResult>> {
    await this.ensureRunning();
    return this.sender.update(ADDRESS, proposePolicyChangeUpdate, input);
  }

  async decide(by: Actor, taskId: string, outcome: HumanTaskOutcome, reasons: string[]): Promise<Answered<PolicyStepResult>> {
    return this.sender.update(ADDRESS, decidePolicyChangeUpdate, { by, taskId, outcome, reasons }, { notFound: ['HUMAN_TASK_UNKNOWN'] });
  }

  /** Puts one system under the version in force (with its deviation), acting as `by`. */
  async applyTo(systemId: string, by: Actor, expectedVersion?: number): Promise<Answered<LifecyclePolicyAppliedResult>> {
    const organisationPolicy = await this.reader.snapshotFor(systemId);
    if (expectedVersion !== undefined && expectedVersion !== organisationPolicy.version) {
      throw problem(
        409,
        'POLICY_VERSION_CHANGED',
        `Version ${organisationPolicy.version} of the lifecycle policy is in force, not ${expectedVersion}; read it again before applying.`,
        { details: { current: organisationPolicy.version, expected: expectedVersion } },
      );
    }
    return this.sendSnapshot(systemId, by, organisationPolicy);
  }

  private sendSnapshot(systemId: string, by: Actor, organisationPolicy: PolicySnapshot): Promise<Answered<LifecyclePolicyAppliedResult>> {
    return this.lifecycles.send(systemId, applyLifecyclePolicyUpdate, { by, organisationPolicy });
  }

  /**
   * After an approval: every registered system the change concerns goes under the new version. One that
   * cannot (decommissioned, its worker away) is reported, not hidden; the inventory shows its version.
   */
  async applyAfterApproval(changeId: string, by: Actor): Promise<PolicyApplicationDto[]> {
    const state = await this.current();
    const change = state.changes.find((c) => c.changeId === changeId);
    if (change?.status !== 'approved') return [];
    const results: PolicyApplicationDto[] = [];
    for await (const systemId of this.systemsConcerned(change.scope)) {
      try {
        // The state read once above: every system gets the same version.
        await this.sendSnapshot(systemId, by, snapshotFor(state, systemId));
        results.push({ systemId, outcome: 'applied', problem: null });
      } catch (error) {
        const code = problemCode(error);
        if (code === 'POLICY_ALREADY_APPLIED') results.push({ systemId, outcome: 'already_current', problem: null });
        else {
          this.logger.warn(`policy version ${state.version} not applied to ${systemId}: ${code}`);
          results.push({ systemId, outcome: 'failed', problem: code });
        }
      }
    }
    return results;
  }

  /** The one system of a deviation, or every registered system not decommissioned (streamed from the inventory). */
  private async *systemsConcerned(scope: PolicyChangeScope): AsyncIterable<string> {
    if (scope.kind === 'system') {
      yield scope.systemId;
      return;
    }
    for await (const { row } of this.readModels.scan(AI_SYSTEM_INVENTORY)) if (row.stage !== 'decommissioned') yield row.systemId;
  }
  /** The one run starts empty, so a refused first proposal never fails it; started at most once. */
  private async ensureRunning(): Promise<void> {
    try {
      const client = await this.temporal.client();
      await client.workflow.start('lifecyclePolicy', {
        taskQueue: this.config.temporal.taskQueue,
        workflowId: LIFECYCLE_POLICY_WORKFLOW_ID,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [{} satisfies LifecyclePolicyInput],
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      // Like every other command: Temporal away is a 503 the caller may retry, not our bug (500).
      throw unavailable(
        'TEMPORAL_UNAVAILABLE',
        `Temporal did not start the lifecycle policy process: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

function problemCode(error: unknown): string {
  if (isDomainError(error)) return error.code;
  const response = (error as { getResponse?: () => unknown }).getResponse?.();
  const code = (response as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.name : 'UNKNOWN';
}
