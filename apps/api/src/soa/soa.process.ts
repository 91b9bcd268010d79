/**
 * The API's side of the `statementOfApplicability` workflow: revisions, requests and attestations as
 * Updates (the rules stay in domain/soa), the one run started at most once.
 */
import { Inject, Injectable } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { SOA_STREAM, SOA_WORKFLOW_ID } from '../../../../domain/soa';
import type { HumanTaskOutcome } from '../../../../domain/shared/human-task';
import type { Actor } from '../../../../domain/shared/roles';
import type { AimsConfig } from '../../../../infra/config/config';
import {
  approveSoaRevisionUpdate,
  attestControlUpdate,
  dismissSoaRevisionRequestUpdate,
  proposeSoaRevisionUpdate,
  requestSoaRevisionUpdate,
  reviewSoaRevisionUpdate,
  type AttestControlInput,
  type ProposeSoaRevisionInput,
  type RequestSoaRevisionInput,
  type SoaInput,
  type SoaStepResult,
} from '../../../../workflows/soa.messages';
import { CommandSender, type Answered, type ProcessAddress } from '../common/command-sender';
import { problem, unavailable } from '../common/problems';
import { AIMS_CONFIG, TemporalClientProvider } from '../temporal-client.provider';

const ADDRESS: ProcessAddress = {
  workflowId: SOA_WORKFLOW_ID,
  evidencePath: `/v1/audit/streams/${SOA_STREAM}`,
  notRunning: () => Promise.resolve(problem(409, 'SOA_NOT_RUNNING', 'The Statement of Applicability workflow has ended.')),
};

@Injectable()
export class SoaProcess {
  constructor(
    private readonly sender: CommandSender,
    private readonly temporal: TemporalClientProvider,
    @Inject(AIMS_CONFIG) private readonly config: AimsConfig,
  ) {}

  async propose(input: ProposeSoaRevisionInput): Promise<Answered<SoaStepResult>> {
    await this.ensureRunning();
    return this.sender.update(ADDRESS, proposeSoaRevisionUpdate, input);
  }

  async request(input: RequestSoaRevisionInput): Promise<Answered<SoaStepResult>> {
    await this.ensureRunning();
    return this.sender.update(ADDRESS, requestSoaRevisionUpdate, input);
  }

  async attest(input: AttestControlInput): Promise<Answered<SoaStepResult>> {
    await this.ensureRunning();
    return this.sender.update(ADDRESS, attestControlUpdate, input);
  }

  review(by: Actor, taskId: string, outcome: HumanTaskOutcome, reasons: string[]): Promise<Answered<SoaStepResult>> {
    return this.sender.update(ADDRESS, reviewSoaRevisionUpdate, { by, taskId, outcome, reasons }, { notFound: ['HUMAN_TASK_UNKNOWN'] });
  }

  approve(by: Actor, taskId: string, outcome: HumanTaskOutcome, reasons: string[]): Promise<Answered<SoaStepResult>> {
    return this.sender.update(ADDRESS, approveSoaRevisionUpdate, { by, taskId, outcome, reasons }, { notFound: ['HUMAN_TASK_UNKNOWN'] });
  }

  dismiss(by: Actor, taskId: string, reasons: string[]): Promise<Answered<SoaStepResult>> {
    return this.sender.update(ADDRESS, dismissSoaRevisionRequestUpdate, { by, taskId, reasons }, { notFound: ['HUMAN_TASK_UNKNOWN'] });
  }

  /** The one run starts empty, so a refused first command never fails it; started at most once. */
  private async ensureRunning(): Promise<void> {
    try {
      const client = await this.temporal.client();
      await client.workflow.start('statementOfApplicability', {
        taskQueue: this.config.temporal.taskQueue,
        workflowId: SOA_WORKFLOW_ID,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [{} satisfies SoaInput],
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      throw unavailable(
        'TEMPORAL_UNAVAILABLE',
        `Temporal did not start the SoA process: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
