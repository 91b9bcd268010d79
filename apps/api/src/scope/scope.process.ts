/**
 * The API's side of the `aimsScope` workflow: statement proposals and per-system decisions as Updates (the
 * rules stay in domain/aims-scope), the one run started at most once.
 */
import { Inject, Injectable } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { AIMS_SCOPE_STREAM, AIMS_SCOPE_WORKFLOW_ID } from '../../../../domain/aims-scope/model';
import type { HumanTaskOutcome } from '../../../../domain/shared/human-task';
import type { Actor } from '../../../../domain/shared/roles';
import type { AimsConfig } from '../../../../infra/config/config';
import {
  decideAiSystemScopeUpdate,
  decideScopeStatementUpdate,
  proposeScopeStatementUpdate,
  type AimsScopeInput,
  type AimsScopeStepResult,
  type DecideAiSystemScopeInput,
  type ProposeScopeStatementInput,
} from '../../../../workflows/aims-scope.messages';
import { CommandSender, type Answered, type ProcessAddress } from '../common/command-sender';
import { problem, unavailable } from '../common/problems';
import { AIMS_CONFIG, TemporalClientProvider } from '../temporal-client.provider';

const ADDRESS: ProcessAddress = {
  workflowId: AIMS_SCOPE_WORKFLOW_ID,
  evidencePath: `/v1/audit/streams/${AIMS_SCOPE_STREAM}`,
  notRunning: () => Promise.resolve(problem(409, 'AIMS_SCOPE_NOT_RUNNING', 'The AIMS scope workflow has ended.')),
};

@Injectable()
export class ScopeProcess {
  constructor(
    private readonly sender: CommandSender,
    private readonly temporal: TemporalClientProvider,
    @Inject(AIMS_CONFIG) private readonly config: AimsConfig,
  ) {}

  async propose(input: ProposeScopeStatementInput): Promise<Answered<AimsScopeStepResult>> {
    await this.ensureRunning();
    return this.sender.update(ADDRESS, proposeScopeStatementUpdate, input);
  }

  async decideSystem(input: DecideAiSystemScopeInput): Promise<Answered<AimsScopeStepResult>> {
    await this.ensureRunning();
    return this.sender.update(ADDRESS, decideAiSystemScopeUpdate, input);
  }

  decideStatement(by: Actor, taskId: string, outcome: HumanTaskOutcome, reasons: string[]): Promise<Answered<AimsScopeStepResult>> {
    return this.sender.update(ADDRESS, decideScopeStatementUpdate, { by, taskId, outcome, reasons }, { notFound: ['HUMAN_TASK_UNKNOWN'] });
  }

  /**
   * The one run starts empty, so a refused first command never fails it; started at most once. Lifecycles
   * registered before it ran told nobody: `GET /v1/scope/check` names them as without a decision.
   */
  async ensureRunning(): Promise<void> {
    try {
      const client = await this.temporal.client();
      await client.workflow.start('aimsScope', {
        taskQueue: this.config.temporal.taskQueue,
        workflowId: AIMS_SCOPE_WORKFLOW_ID,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [{} satisfies AimsScopeInput],
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      throw unavailable(
        'TEMPORAL_UNAVAILABLE',
        `Temporal did not start the AIMS scope process: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
