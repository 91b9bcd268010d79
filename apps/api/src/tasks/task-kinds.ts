/**
 * How the one inbox decides a task of each kind: which process decides it and how a decision body becomes
 * that process's command. Each process lists its kinds (its task-kinds file) and registers them in
 * TASK_PROCESSES below: one line per process. The inbox only routes: who may decide, segregation of duties
 * and independence stay in each process's rules, which refuse a decision with the same problem+json as
 * the process's own endpoints.
 */
import type { Type } from '@nestjs/common';
import type { Actor } from '../../../../domain/shared/roles';
import type { HumanTaskRow } from '../../../../infra/projections/read-models';
import { LIFECYCLE_TASK_ROUTES } from '../ai-systems/lifecycle-task-kinds';
import { LifecycleProcess } from '../ai-systems/lifecycle.process';
import { NONCONFORMITY_TASK_ROUTES } from '../nonconformities/nonconformity-task-kinds';
import { NonconformityProcess } from '../nonconformities/nonconformity.process';
import { LIFECYCLE_POLICY_TASK_ROUTES } from '../lifecycle-policy/lifecycle-policy-task-kinds';
import { LifecyclePolicyProcess } from '../lifecycle-policy/lifecycle-policy.process';
import { RISK_CRITERIA_TASK_ROUTES } from '../risk-criteria/risk-criteria-task-kinds';
import { RiskCriteriaProcess } from '../risk-criteria/risk-criteria.process';
import { RISK_TASK_ROUTES } from '../risks/risk-task-kinds';
import { RiskProcess } from '../risks/risk.process';
import { DOCUMENT_TASK_ROUTES } from '../documents/document-task-kinds';
import { DocumentProcess } from '../documents/document.process';
import { SOA_TASK_ROUTES } from '../soa/soa-task-kinds';
import { SoaProcess } from '../soa/soa.process';
import { SCOPE_TASK_ROUTES } from '../scope/scope-task-kinds';
import { ScopeProcess } from '../scope/scope.process';
import { CONTEXT_TASK_ROUTES } from '../context/context-task-kinds';
import { ContextProcess } from '../context/context.process';
import { OBJECTIVE_TASK_ROUTES } from '../objectives/objective-task-kinds';
import { ObjectiveProcess } from '../objectives/objective.process';
import { INTERNAL_AUDIT_TASK_ROUTES } from '../internal-audits/internal-audit-task-kinds';
import { InternalAuditProcess } from '../internal-audits/internal-audit.process';
import { MANAGEMENT_REVIEW_TASK_ROUTES } from '../management-reviews/management-review-task-kinds';
import { ManagementReviewProcess } from '../management-reviews/management-review.process';
import type { TaskDecided, TaskDecisionField, TaskDecisionInputDto, TaskOutcome } from './task-decisions.dto';

/** How tasks of some kinds are decided, given `P`: the service that sends the owning process's commands. */
export interface TaskKindRoute<P> {
  /** The task kinds it decides, as the human-task read model names them. */
  kinds: readonly string[];
  /** The outcomes a decision may give. */
  outcomes: readonly TaskOutcome[];
  /** The body fields it takes besides `outcome`; any other field is refused, naming it. */
  fields: readonly TaskDecisionField[];
  /** What the decision does, for the OpenAPI document. */
  summary: string;
  /** Sends the decision to the process that owns `task`, acting as `by`. */
  decide(process: P, task: HumanTaskRow, body: TaskDecisionInputDto, by: Actor): Promise<TaskDecided>;
}

export interface TaskProcess<P> {
  service: Type<P>;
  routes: readonly TaskKindRoute<P>[];
}

function taskProcess<P>(service: Type<P>, routes: readonly TaskKindRoute<P>[]): TaskProcess<unknown> {
  return { service, routes };
}

/** Every process whose human tasks the inbox serves. A new process adds its line here. */
export const TASK_PROCESSES: readonly TaskProcess<unknown>[] = [
  taskProcess(LifecycleProcess, LIFECYCLE_TASK_ROUTES),
  taskProcess(NonconformityProcess, NONCONFORMITY_TASK_ROUTES),
  taskProcess(LifecyclePolicyProcess, LIFECYCLE_POLICY_TASK_ROUTES),
  taskProcess(SoaProcess, SOA_TASK_ROUTES),
  taskProcess(RiskCriteriaProcess, RISK_CRITERIA_TASK_ROUTES),
  taskProcess(RiskProcess, RISK_TASK_ROUTES),
  taskProcess(DocumentProcess, DOCUMENT_TASK_ROUTES),
  taskProcess(ScopeProcess, SCOPE_TASK_ROUTES),
  taskProcess(ContextProcess, CONTEXT_TASK_ROUTES),
  taskProcess(ObjectiveProcess, OBJECTIVE_TASK_ROUTES),
  taskProcess(ManagementReviewProcess, MANAGEMENT_REVIEW_TASK_ROUTES),
  taskProcess(InternalAuditProcess, INTERNAL_AUDIT_TASK_ROUTES),
];

/** The kinds, their outcomes and fields, as the decision endpoint's description lists them. */
export function describeTaskKinds(processes: readonly TaskProcess<unknown>[] = TASK_PROCESSES): string {
  return processes
    .flatMap((p) => p.routes)
    .map(
      (r) =>
        `- ${r.kinds.map((k) => `\`${k}\``).join(', ')}: outcome ${r.outcomes.join(' | ')}${r.fields.length ? `; ${r.fields.join(', ')}` : ''}. ${r.summary}`,
    )
    .join('\n');
}
