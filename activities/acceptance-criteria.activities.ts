/**
 * Checks validation results against an AI system's acceptance criteria (A.6.2.4). The rule itself is the
 * domain's pure `evaluateAcceptanceCriteria`; running it as an activity puts the check, its inputs and
 * its answer in the workflow history as a distinct step, and keeps room for evaluators that need I/O.
 * The workflow hands the answer to the domain, which refuses one that the criteria would not yield.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { evaluateAcceptanceCriteria, type AcceptanceEvaluation, type MetricCriterion, type MetricValue } from '../domain/ai-system';

export interface CheckAcceptanceCriteriaInput {
  systemId: string;
  validationId: string;
  criteria: MetricCriterion[];
  metrics: MetricValue[];
}

export interface AcceptanceCriteriaActivities {
  checkAcceptanceCriteria(input: CheckAcceptanceCriteriaInput): Promise<AcceptanceEvaluation>;
}

export function createAcceptanceCriteriaActivities(): AcceptanceCriteriaActivities {
  return {
    async checkAcceptanceCriteria(input: CheckAcceptanceCriteriaInput): Promise<AcceptanceEvaluation> {
      // Input that is not lists will not improve on retry.
      if (!Array.isArray(input?.criteria) || !Array.isArray(input?.metrics)) {
        throw ApplicationFailure.nonRetryable('criteria and metrics must be lists', 'INVALID_ACCEPTANCE_INPUT', {
          validationId: input?.validationId ?? null,
        });
      }
      return evaluateAcceptanceCriteria(input.criteria, input.metrics);
    },
  };
}
