/**
 * What the replay tests share: reading the committed fixtures back as histories, each under the workflow id
 * its run had, and replaying a batch of them against one bundle of workflow code, fixture by fixture.
 */
import { documentWorkflowId } from '../../../domain/document/identity';
import { auditProgrammeWorkflowId } from '../../../domain/audit-programme/programme';
import { improvementWorkflowId } from '../../../domain/improvement/improvement';
import { objectiveWorkflowId } from '../../../domain/objective/model';
import { internalAuditWorkflowId } from '../../../domain/internal-audit/model';
import { managementReviewWorkflowId } from '../../../domain/management-review/model';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { lifecycleWorkflowId } from '../../../domain/ai-system';
import { nonconformityWorkflowId } from '../../../domain/nonconformity';
import { LIFECYCLE_POLICY_WORKFLOW_ID } from '../../../domain/lifecycle-policy';
import { notificationWorkflowId } from '../../../domain/notifications';
import type { FixtureFolder } from '../../support/history-fixtures';
import { riskWorkflowId } from '../../../domain/shared/risk-links';
import { SOA_WORKFLOW_ID } from '../../../domain/soa';
import { RISK_CRITERIA_WORKFLOW_ID } from '../../../domain/risk-criteria';
import { AIMS_SCOPE_WORKFLOW_ID } from '../../../domain/shared/scope-links';
import { AIMS_CONTEXT_WORKFLOW_ID } from '../../../domain/aims-context/model';
import { PEOPLE_IDENTITIES_WORKFLOW_ID, PEOPLE_POLICY_WORKFLOW_ID, personWorkflowId } from '../../../domain/people';

/** The real workflows, as the worker bundles them. */
export const WORKFLOWS_PATH = require.resolve('../../../workflows');

/** Each workflow runs only under the id its input names, so each history is replayed under its real id. */
export const WORKFLOW_IDS: Record<string, (input: never) => string> = {
  'ai-system-lifecycle': (input: { registration: { systemId: string } }) => lifecycleWorkflowId(input.registration.systemId),
  nonconformity: (input: { nonconformityId: string }) => nonconformityWorkflowId(input.nonconformityId),
  'lifecycle-policy': () => LIFECYCLE_POLICY_WORKFLOW_ID,
  notification: (input: { sourceEventId: string }) => notificationWorkflowId(input.sourceEventId),
  risk: (input: { riskId: string }) => riskWorkflowId(input.riskId),
  soa: () => SOA_WORKFLOW_ID,
  'risk-criteria': () => RISK_CRITERIA_WORKFLOW_ID,
  document: (input: { documentId: string }) => documentWorkflowId(input.documentId),
  'aims-scope': () => AIMS_SCOPE_WORKFLOW_ID,
  'aims-context': () => AIMS_CONTEXT_WORKFLOW_ID,
  'internal-audit': (input: { auditId: string }) => internalAuditWorkflowId(input.auditId),
  improvement: (input: { improvementId: string }) => improvementWorkflowId(input.improvementId),
  'audit-programme': (input: { period: string }) => auditProgrammeWorkflowId(input.period),
  person: (input: { personId: string }) => personWorkflowId(input.personId),
  'people-policy': () => PEOPLE_POLICY_WORKFLOW_ID,
  'management-review': (input: { reviewId: string }) => managementReviewWorkflowId(input.reviewId),
  'people-identities': () => PEOPLE_IDENTITIES_WORKFLOW_ID,
  objective: (input: { objectiveId: string }) => objectiveWorkflowId(input.objectiveId),
};

export interface FixtureHistory {
  /** `<workflow>/<era>/<case>`, as the tests name a fixture. */
  name: string;
  workflowId: string;
  history: temporal.api.history.v1.History;
}

export function loadHistories(folder: FixtureFolder): FixtureHistory[] {
  // The fixtures are `JSON.stringify(history)` (protobufjs's toJSON); `fromObject` is its inverse.
  return folder.files.map((file) => {
    const history = temporal.api.history.v1.History.fromObject(JSON.parse(fs.readFileSync(path.join(folder.dir, file), 'utf8')));
    const payload = history.events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    if (!payload) throw new Error(`${file} does not start with the workflow's input`);
    return {
      name: `${folder.workflow}/${folder.era}/${file.replace(/\.json$/, '')}`,
      workflowId: WORKFLOW_IDS[folder.workflow](defaultPayloadConverter.fromPayload<never>(payload)),
      history,
    };
  });
}

export interface ReplayOutcome {
  name: string;
  /** The replay's failure (`DeterminismViolationError` for non-determinism), or null when it replayed. */
  error: { name: string; message: string } | null;
}

/** Replays each history against one bundle of `options`' workflow code; one outcome per history, in order. */
export async function replayEach(options: ReplayWorkerOptions, histories: FixtureHistory[]): Promise<ReplayOutcome[]> {
  const outcomes: ReplayOutcome[] = [];
  // The replayer takes the histories one by one and answers in the same order.
  for await (const result of Worker.runReplayHistories(options, histories)) {
    const name = histories[outcomes.length]?.name ?? '?';
    outcomes.push({ name, error: result.error ? { name: result.error.name, message: result.error.message } : null });
  }
  expect(outcomes.length).toBe(histories.length);
  return outcomes;
}
