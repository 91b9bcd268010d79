/**
 * # AI system lifecycle — pure domain (ISO/IEC 42001 6.1.4, 8.1–8.4, 9.1; Annex A.5, A.6.2, A.7)
 *
 * One AI system moves through `registered → impact_assessment → validation → deployment_approval →
 * in_production → decommissioning → decommissioned`. A newly proposed model version loops back to
 * `validation`; a change recorded as significant loops back to `impact_assessment` (the approved
 * assessment becomes `outdated`, and everything resting on it is superseded or blocked).
 *
 * Decider style, for the `aiSystemLifecycle` workflow:
 * - `decide(command, state)` → `{ ok: true, value: events }` or `{ ok: false, error }` with a typed
 *   `AiSystemError` (`code`, `message`, `details`). Use `commandRefusal` in Update validators.
 * - `evolve(state, event)` → next state (total, immutable); `replay(events)` folds a stream;
 *   `execute(command, state)` does both.
 * - Both are composed from the features in ./features (registration, impact assessment, data and
 *   validation, change and versions, deployment, monitoring, decommissioning, human tasks): each owns its
 *   command handlers, its event folds, what follows a decision on its tasks and how its open work is
 *   closed when the state no longer supports it.
 * - Malformed input is refused as `VALIDATION_FAILED` with `details.issues: { field, problem }[]`, each
 *   field named by its path in the command (domain/shared/validation.ts).
 * - Time and ids are inputs: every command carries `at` (ISO-8601) and the ids of what it creates
 *   (tasks, requests, validations...). Nonconformity ids are derived and name the system:
 *   `nc-<systemId>-<reportId>-<metric>` for a monitoring breach, `nc-<systemId>-<incidentId>` for an
 *   incident (`derivedNonconformityId`; runs from before, `nc-<reportId>-<metric>` and `nc-<incidentId>`).
 * - State and events are plain JSON (compiler-checked by `eventData` and `stateAsJson`).
 * - The stage changes only through `LifecycleStageChanged` events, so every transition is evidence.
 * - Every event carries `by` (`{ id, role }`, the role acted under; `system` for automatic steps) and
 *   `at`; `eventData`/`eventActor` give what an evidence envelope needs, `ISO_42001_REFERENCES` the
 *   clauses and controls each event type evidences.
 *
 * Gates and human tasks:
 * - Impact assessment: `SubmitImpactAssessment` opens an `impact_assessment_review` task; approval by
 *   `approver` or `risk_owner` (policy-configurable) who is not the author; rejection or changes
 *   requested need reasons and send it back for resubmission.
 * - Data (A.7): `RecordDataset`, `RecordDataQualityCheck`; only datasets whose latest check passed may
 *   back a validation.
 * - Validation: `RecordValidationResults` then `EvaluateAcceptanceCriteria` (pure
 *   `evaluateAcceptanceCriteria`); a pass opens a `validation_sign_off` task for a `validator` other
 *   than the submitter.
 * - Deployment: `RequestDeployment` runs `evaluateDeploymentRequest(state, request, policy)` → allowed
 *   (policy auto-approval for `autoApproveRiskTiers`) | blocked (every reason) | pending (approval task);
 *   `deploymentRequestView` tells an Update caller where a request stands. `RecordDeploymentCompleted`
 *   puts an approved version in production.
 * - Monitoring: `RecordMonitoringReport` (breaches → `MonitoringThresholdBreached` + `NonconformityOpened`),
 *   `ReportIncident`, `RecordMonitoringReviewDue` (timer; opens a `monitoring_review` task).
 * - Decommissioning: request (approval task) → approval → `CompleteDecommissioning` with the
 *   data-retention decision.
 * - Authority: `COMMAND_ROLES` says which roles may issue each command (MISSING_ROLE otherwise); task
 *   decisions follow the task's roles. `auditor` is read-only everywhere.
 * - Names: `lifecycleWorkflowId(systemId)` and `aiSystemStreamName(systemId)` are both `ai-system-<id>`.
 * - Human tasks: `DecideHumanTask` refuses unknown, superseded or closed tasks, outcomes the kind does
 *   not offer, missing reasons, missing role, and the requester deciding their own request. Overdue:
 *   `dueHumanTaskCommands(state, now)` lists `SendHumanTaskReminder` / `EscalateHumanTask` (to
 *   `aims_owner`, who may then decide); `nextHumanTaskDeadline` and `nextMonitoringReviewDueAt` say how
 *   long the workflow may sleep.
 */
export * from './model';
export * from './policy';
export * from './commands';
export * from './events';
export * from './errors';
export * from './identity';
export {
  COMMAND_ROLES,
  commandAuthority,
  decisionConflicts,
  rolesForCommand,
  type AiSystemDutyConflict,
  type RoleGovernedCommandType,
} from './authority';
export { TRIGGERED_BY_MAX } from './features/deployment';
export { decide, commandRefusal, execute, SIGNIFICANT_AMENDMENTS, TASK_OUTCOMES, type DecideResult } from './decide';
export { evolve, replay } from './evolve';
export { riskReassessmentCause, SERIOUS_INCIDENT_SEVERITIES, type RiskReassessmentCauseEvent } from './features/risk-posture';
export {
  evaluateDeploymentRequest,
  deploymentGateChecks,
  POLICY_AUTO_APPROVER,
  type DeploymentRequest,
  type DeploymentGateDecision,
  type TaskToOpen,
} from './deployment-gate';
export {
  evaluateAcceptanceCriteria,
  checkMonitoringThresholds,
  meetsCriterion,
  type ThresholdBreach,
  type ThresholdCheck,
} from './metrics';
export {
  impactAssessmentCurrency,
  datasetQualityProblem,
  validationLivenessProblem,
  openHumanTasks,
  modelVersionsView,
  lifecycleView,
  deploymentRequestView,
  dueHumanTaskCommands,
  nextHumanTaskDeadline,
  nextMonitoringReviewDueAt,
  rolesThatMayDecide,
  findTask,
  findVersion,
  findDataset,
  findValidation,
  findDeploymentRequest,
  findImpactAssessment,
  riskPostures,
  blockingRiskPostures,
  knownRiskIds,
  type ImpactAssessmentCurrency,
  type LifecycleView,
  type ModelVersionView,
  type DeploymentRequestView,
} from './queries';
export type { Actor, ActorRef, AimsRole, ActingRole } from '../shared/roles';
export { AIMS_ROLES, READ_ONLY_ROLES, SYSTEM_ACTOR, actorProblem, isAimsRole } from '../shared/roles';
export type { HumanTask, HumanTaskOutcome, HumanTaskStatus, HumanTaskErrorCode } from '../shared/human-task';
export { ESCALATION_ROLE } from '../shared/human-task';
export type { DomainError } from '../shared/domain-error';
export { isDomainError } from '../shared/domain-error';
export type { Result } from '../shared/result';
