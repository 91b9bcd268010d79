/**
 * The API's side of the `aimsContext` workflow: entries recorded, revised, reviewed and retired as Updates
 * (the rules stay in domain/aims-context), the one run started at most once.
 */
import { Inject, Injectable } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { AIMS_CONTEXT_STREAM, AIMS_CONTEXT_WORKFLOW_ID } from '../../../../domain/aims-context/model';
import type { AimsConfig } from '../../../../infra/config/config';
import {
  recordContextEntryUpdate,
  retireContextEntryUpdate,
  reviewContextEntryUpdate,
  type AimsContextInput,
  type AimsContextStepResult,
  type RecordContextEntryInput,
  type RetireContextEntryInput,
  type ReviewContextEntryInput,
} from '../../../../workflows/aims-context.messages';
import { CommandSender, type Answered, type ProcessAddress } from '../common/command-sender';
import { problem, unavailable } from '../common/problems';
import { AIMS_CONFIG, TemporalClientProvider } from '../temporal-client.provider';

const ADDRESS: ProcessAddress = {
  workflowId: AIMS_CONTEXT_WORKFLOW_ID,
  evidencePath: `/v1/audit/streams/${AIMS_CONTEXT_STREAM}`,
  notRunning: () => Promise.resolve(problem(409, 'AIMS_CONTEXT_NOT_RUNNING', 'The context registers workflow has ended.')),
};

@Injectable()
export class ContextProcess {
  constructor(
    private readonly sender: CommandSender,
    private readonly temporal: TemporalClientProvider,
    @Inject(AIMS_CONFIG) private readonly config: AimsConfig,
  ) {}

  async record(input: RecordContextEntryInput): Promise<Answered<AimsContextStepResult>> {
    await this.ensureRunning();
    return this.sender.update(ADDRESS, recordContextEntryUpdate, input, { notFound: ['CONTEXT_ENTRY_UNKNOWN'] });
  }

  async review(input: ReviewContextEntryInput): Promise<Answered<AimsContextStepResult>> {
    await this.ensureRunning();
    return this.sender.update(ADDRESS, reviewContextEntryUpdate, input, { notFound: ['CONTEXT_ENTRY_UNKNOWN'] });
  }

  async retire(input: RetireContextEntryInput): Promise<Answered<AimsContextStepResult>> {
    await this.ensureRunning();
    return this.sender.update(ADDRESS, retireContextEntryUpdate, input, { notFound: ['CONTEXT_ENTRY_UNKNOWN'] });
  }

  private async ensureRunning(): Promise<void> {
    try {
      const client = await this.temporal.client();
      await client.workflow.start('aimsContext', {
        taskQueue: this.config.temporal.taskQueue,
        workflowId: AIMS_CONTEXT_WORKFLOW_ID,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [{} satisfies AimsContextInput],
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      throw unavailable(
        'TEMPORAL_UNAVAILABLE',
        `Temporal did not start the context registers: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
