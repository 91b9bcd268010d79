/**
 * The API's side of the `risk` workflow (one per risk, `risk-<id>`): identifying a risk starts it (after
 * the domain's own `decide` accepted the identification, so bad input starts nothing), every later step
 * is an Update. An assessment is scored with the criteria in force as their evidence records them: the
 * API reads them, the caller never supplies them.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { UpdateDefinition } from '@temporalio/common';
import { aiSystemStreamName } from '../../../../domain/ai-system/identity';
import { decide, type RiskSource } from '../../../../domain/risk';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import { riskWorkflowId } from '../../../../domain/shared/risk-links';
import type { HumanTaskOutcome } from '../../../../domain/shared/human-task';
import type { Actor } from '../../../../domain/shared/roles';
import {
  assessRiskUpdate,
  completeTreatmentActionUpdate,
  decideRiskTaskUpdate,
  planRiskTreatmentUpdate,
  recordResidualRiskUpdate,
  type AssessRiskInput,
  type CompleteTreatmentActionInput,
  type PlanRiskTreatmentInput,
  type RecordResidualRiskInput,
  type RiskStepResult,
  type RiskWorkflowInput,
} from '../../../../workflows/risk.messages';
import { CommandSender, type ProcessAddress, type Started } from '../common/command-sender';
import { refusalProblem, type RefusalContext } from '../common/problem-mapper';
import { problem } from '../common/problems';
import { RiskCriteriaReader } from '../risk-criteria/risk-criteria-reader';
import { riskView } from './risk-reader';
import { EVENT_STORE } from '../stores/store.tokens';
import type { RiskStepAnswerDto } from './risks.dto';

export interface IdentifyRiskInput {
  riskId: string;
  systemId: string | null;
  source: RiskSource;
  description: string;
  owner: string;
}

@Injectable()
export class RiskProcess {
  constructor(
    private readonly sender: CommandSender,
    private readonly criteria: RiskCriteriaReader,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  address(riskId: string): ProcessAddress {
    return {
      workflowId: riskWorkflowId(riskId),
      evidencePath: `/v1/audit/streams/${riskWorkflowId(riskId)}`,
      // The risk workflow runs for as long as the risk stands; no run means it was never identified.
      notRunning: () => Promise.resolve(problem(404, 'RISK_NOT_IDENTIFIED', `There is no risk ${riskId}.`, { details: { riskId } })),
    };
  }

  async identify(by: Actor, body: IdentifyRiskInput): Promise<Started & { riskId: string }> {
    const input: RiskWorkflowInput = { ...body, by };
    const decided = decide({ type: 'IdentifyRisk', ...body, by, at: new Date().toISOString() }, null);
    if (!decided.ok) throw refusalProblem(decided.error);
    // A risk of a system the inventory does not hold would block no gate and reopen on no change: refused.
    if (body.systemId !== null && (await this.events.streamRevision(aiSystemStreamName(body.systemId))) === null)
      throw problem(404, 'AI_SYSTEM_NOT_REGISTERED', `There is no AI system ${body.systemId}.`, { details: { systemId: body.systemId } });
    const started = await this.sender.start({
      workflowType: 'risk',
      to: this.address(body.riskId),
      args: [input],
      stream: riskWorkflowId(body.riskId),
      alreadyStarted: () =>
        problem(409, 'RISK_ALREADY_IDENTIFIED', `Risk ${body.riskId} has already been identified`, { details: { riskId: body.riskId } }),
    });
    return { riskId: body.riskId, ...started };
  }

  /** Scores with the version in force now; none approved yet is a 409 (the default set is no decision of the organisation's). */
  async assess(riskId: string, input: Omit<AssessRiskInput, 'criteria'>): Promise<RiskStepAnswerDto> {
    const criteria = await this.criteria.inForce();
    if (criteria === null)
      throw problem(
        409,
        'RISK_CRITERIA_NOT_APPROVED',
        'No version of the risk criteria is approved yet; approve one before assessing a risk.',
      );
    return this.send(riskId, assessRiskUpdate, { ...input, criteria });
  }

  plan(riskId: string, input: PlanRiskTreatmentInput): Promise<RiskStepAnswerDto> {
    return this.send(riskId, planRiskTreatmentUpdate, input);
  }

  complete(riskId: string, input: CompleteTreatmentActionInput): Promise<RiskStepAnswerDto> {
    return this.send(riskId, completeTreatmentActionUpdate, input, { notFound: ['TREATMENT_ACTION_UNKNOWN'] });
  }

  residual(riskId: string, input: RecordResidualRiskInput): Promise<RiskStepAnswerDto> {
    return this.send(riskId, recordResidualRiskUpdate, input);
  }

  decideTask(riskId: string, by: Actor, taskId: string, outcome: HumanTaskOutcome, reasons: string[]): Promise<RiskStepAnswerDto> {
    return this.send(riskId, decideRiskTaskUpdate, { by, taskId, outcome, reasons }, { notFound: ['HUMAN_TASK_UNKNOWN'] });
  }

  private async send<A>(
    riskId: string,
    update: UpdateDefinition<RiskStepResult, [A]>,
    arg: A,
    context: RefusalContext = {},
  ): Promise<RiskStepAnswerDto> {
    const answer = await this.sender.update(this.address(riskId), update, arg, context);
    return { ...answer, risk: riskView(answer.risk) };
  }
}
