/**
 * The API's side of the `riskCriteria` workflow: drafts and decisions as Updates (the rules stay in
 * domain/risk-criteria), the one organisation-wide run started at most once, lazily, like the lifecycle
 * policy's.
 */
import { Inject, Injectable } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { RISK_CRITERIA_STREAM, RISK_CRITERIA_WORKFLOW_ID } from '../../../../domain/risk-criteria';
import type { HumanTaskOutcome } from '../../../../domain/shared/human-task';
import type { Actor } from '../../../../domain/shared/roles';
import type { AimsConfig } from '../../../../infra/config/config';
import {
  decideRiskCriteriaTaskUpdate,
  draftRiskCriteriaUpdate,
  type DraftRiskCriteriaInput,
  type RiskCriteriaInput,
  type RiskCriteriaStepResult,
} from '../../../../workflows/risk.messages';
import { CommandSender, type Answered, type ProcessAddress } from '../common/command-sender';
import { problem, unavailable } from '../common/problems';
import { AIMS_CONFIG, TemporalClientProvider } from '../temporal-client.provider';

const ADDRESS: ProcessAddress = {
  workflowId: RISK_CRITERIA_WORKFLOW_ID,
  evidencePath: `/v1/audit/streams/${RISK_CRITERIA_STREAM}`,
  notRunning: () => Promise.resolve(problem(409, 'RISK_CRITERIA_NOT_RUNNING', "The organisation's risk-criteria workflow has ended.")),
};

@Injectable()
export class RiskCriteriaProcess {
  constructor(
    private readonly sender: CommandSender,
    private readonly temporal: TemporalClientProvider,
    @Inject(AIMS_CONFIG) private readonly config: AimsConfig,
  ) {}

  async draft(input: DraftRiskCriteriaInput): Promise<Answered<RiskCriteriaStepResult>> {
    await this.ensureRunning();
    return this.sender.update(ADDRESS, draftRiskCriteriaUpdate, input);
  }

  decide(by: Actor, taskId: string, outcome: HumanTaskOutcome, reasons: string[]): Promise<Answered<RiskCriteriaStepResult>> {
    return this.sender.update(
      ADDRESS,
      decideRiskCriteriaTaskUpdate,
      { by, taskId, outcome, reasons },
      { notFound: ['HUMAN_TASK_UNKNOWN'] },
    );
  }

  /** The one run starts empty, so a refused first draft never fails it; started at most once. */
  private async ensureRunning(): Promise<void> {
    try {
      const client = await this.temporal.client();
      await client.workflow.start('riskCriteria', {
        taskQueue: this.config.temporal.taskQueue,
        workflowId: RISK_CRITERIA_WORKFLOW_ID,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [{} satisfies RiskCriteriaInput],
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      throw unavailable(
        'TEMPORAL_UNAVAILABLE',
        `Temporal did not start the risk-criteria process: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
