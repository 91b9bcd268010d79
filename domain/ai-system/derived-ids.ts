/**
 * Ids the lifecycle derives when a caller leaves them out: the next free one of each kind in the system's
 * record, so they are deterministic (replay makes the same) and never collide with one already used.
 */
import { freshId } from '../shared/fresh-id';
import { isRegistered, type AiSystemRecord, type AiSystemState } from './model';
import { findDeploymentRequest, findTask, findValidation } from './queries';

type Rule = { prefix: string; count(s: AiSystemRecord): number; taken(s: AiSystemRecord, id: string): boolean };

const checkIds = (s: AiSystemRecord): string[] => s.datasets.flatMap((d) => d.qualityChecks.map((q) => q.checkId));

const RULES = {
  assessment: {
    prefix: 'ia',
    count: (s) => s.impactAssessments.length,
    taken: (s, id) => s.impactAssessments.some((a) => a.assessmentId === id),
  },
  dataset: { prefix: 'dataset', count: (s) => s.datasets.length, taken: (s, id) => s.datasets.some((d) => d.datasetId === id) },
  check: { prefix: 'dq-check', count: (s) => checkIds(s).length, taken: (s, id) => checkIds(s).includes(id) },
  validation: { prefix: 'validation', count: (s) => s.validations.length, taken: (s, id) => findValidation(s, id) !== undefined },
  deployment: {
    prefix: 'deployment',
    count: (s) => s.deploymentRequests.length,
    taken: (s, id) => findDeploymentRequest(s, id) !== undefined,
  },
  report: { prefix: 'report', count: (s) => s.monitoring.reportCount, taken: (s, id) => id === s.monitoring.lastReportId },
  incident: { prefix: 'incident', count: (s) => s.incidents.length, taken: (s, id) => s.incidents.some((i) => i.incidentId === id) },
  change: { prefix: 'change', count: (s) => s.changes.length, taken: (s, id) => s.changes.some((c) => c.changeId === id) },
  decommissioning: {
    prefix: 'decommissioning',
    count: (s) => s.tasks.filter((t) => t.kind === 'decommissioning_approval').length,
    taken: (s, id) => s.decommissioning?.requestId === id,
  },
} satisfies Record<string, Rule>;

export type DerivedIdKind = keyof typeof RULES | 'task';

/** The next id of a kind for this system; before registration (a command queued behind it), the first one. */
export function nextDerivedId(systemId: string, kind: DerivedIdKind, s: AiSystemState): string {
  const rule: Rule =
    kind === 'task'
      ? { prefix: `${systemId}-task`, count: (r) => r.tasks.length, taken: (r, id) => findTask(r, id) !== undefined }
      : RULES[kind];
  if (!isRegistered(s)) return `${rule.prefix}-1`;
  return freshId(rule.prefix, rule.count(s) + 1, (id) => rule.taken(s, id));
}

export const derivedTaskId = (systemId: string, s: AiSystemState): string => nextDerivedId(systemId, 'task', s);
