/**
 * Workflow `aiSystemLifecycle`: one AI system driven through its lifecycle (ISO/IEC 42001 6.1.4, 8.1–8.4,
 * 9.1; Annex A.5, A.6.2, A.7). Workflow id and evidence stream are both `ai-system-<systemId>`.
 *
 *   registered → impact assessment → validation → deployment approval → in production (monitoring)
 *   → decommissioning → decommissioned; a new model version loops back to validation, a significant
 *   change back to impact assessment.
 *
 * The rules are the domain's (`decide`/`evolve` in domain/ai-system); this file adds the clock, the ids,
 * the timers and the evidence. Everything people and pipelines do arrives as a Workflow Update whose
 * validator runs the domain's `commandRefusal` against the current state, so an illegal command (unknown
 * or closed task, missing role, a requester approving their own request, a superseded version...) is
 * refused at once and never enters history or the evidence. Accepted steps run one at a time; each is
 * decided again when its turn comes, recorded in the evidence store, and only then folded into the state
 * and answered, so a caller told "approved" can always find the record.
 *
 * Who may do what (roles from domain/ai-system/authority.ts and the system's policy; the first role of a
 * row the actor holds is the one recorded; `auditor` can do none of it):
 *
 * | Update                                          | Roles                                    |
 * |-------------------------------------------------|------------------------------------------|
 * | (start: input.registration.by)                  | aims_owner, engineer                     |
 * | submitImpactAssessment                          | engineer, risk_owner, aims_owner         |
 * | recordDataset, recordDataQualityCheck,          | engineer, ci                             |
 * |   proposeModelVersion, recordValidationResults  |                                          |
 * | requestDeployment, recordDeploymentCompleted,   | ci, engineer                             |
 * |   recordMonitoringReport                        |                                          |
 * | reportIncident                                  | engineer, ci, risk_owner, aims_owner     |
 * | closeNonconformity                              | risk_owner, aims_owner                   |
 * | recordChange, requestDecommissioning,           | engineer, aims_owner                     |
 * |   completeDecommissioning                       |                                          |
 * | decideTask, by the task's kind (policy          | impact_assessment_review: approver,      |
 * |   `taskRoles`); never the task's requester      |   risk_owner; validation_sign_off:       |
 * |   (segregation of duties); once escalated, the  |   validator; deployment_approval and     |
 * |   AIMS owner too                                |   decommissioning_approval: approver;    |
 * |                                                 |   monitoring_review: engineer, aims_owner|
 *
 * Timers: every open task is reminded at its due date and escalated to the AIMS owner `escalationAfterMs`
 * later; while a version is in production a monitoring review falls due every `monitoringReviewIntervalMs`.
 * Every duration is the system's policy (an input), so tests run in seconds. History stays bounded: the
 * workflow continues as new, carrying its state, when Temporal suggests it (or past an optional limit).
 *
 * A monitoring breach or a serious incident records the breach and an open nonconformity reference
 * (`nc-<systemId>-<reportId>-<metric>`, `nc-<systemId>-<incidentId>`; before NONCONFORMITY_IDS_PATCH
 * without the system id, which two systems could share), then starts the `nonconformity` workflow for it as a child
 * (`nonconformity-<id>`, ParentClosePolicy ABANDON: corrective action outlives a decommissioned system or a
 * continue-as-new). The two are linked both ways: the NonconformityOpened event in `ai-system-<id>` names
 * the nonconformity; the nonconformity's evidence is correlated with `ai-system-<id>` and its first event
 * names that NonconformityOpened event as its cause. Runs recorded before this behaviour (no
 * NONCONFORMITY_WORKFLOW_PATCH marker in their history) replay as they ran: no child.
 */
import {
  ApplicationFailure,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  defineQuery,
  defineUpdate,
  log,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { AcceptanceCriteriaActivities } from '../activities/acceptance-criteria.activities';
import {
  aiSystemStreamName,
  commandAuthority,
  commandRefusal,
  decide,
  deploymentRequestView,
  dueHumanTaskCommands,
  eventActor,
  eventData,
  evolve,
  findDeploymentRequest,
  findTask,
  findValidation,
  INITIAL_AI_SYSTEM_STATE,
  isRegistered,
  lifecycleView,
  lifecycleWorkflowId,
  modelVersionsView,
  nextHumanTaskDeadline,
  nextMonitoringReviewDueAt,
  openHumanTasks,
  type AcceptanceEvaluation,
  type Actor,
  type AiSystemCommand,
  type AiSystemError,
  type AiSystemEvent,
  type AiSystemEventType,
  type AiSystemRecord,
  type AiSystemState,
  type AiSystemTask,
  type AiSystemTaskKind,
  type CloseNonconformity,
  type CompleteDecommissioning,
  type DeploymentBlockReason,
  type DeploymentRequestStatus,
  type DeploymentRequestView,
  type HumanTaskOutcome,
  type ImpactAssessmentContent,
  type LifecycleStage,
  type LifecycleView,
  type MetricDirection,
  type ModelVersionView,
  type ProposeModelVersion,
  type RecordChange,
  type RecordDataQualityCheck,
  type RecordDataset,
  type RecordDeploymentCompleted,
  type RecordMonitoringReport,
  type RecordValidationResults,
  type RegisterAiSystem,
  type ReportIncident,
  type RequestDecommissioning,
  type NonconformityIdScheme,
  type RequestDeployment,
} from '../domain/ai-system';
import { decide as decideNonconformity, type NonconformitySeverity } from '../domain/nonconformity';
import type { IncidentSeverity } from '../domain/ai-system/vocabulary';
import { domainError } from '../domain/shared/domain-error';
import { recordEvidence } from './evidence-recorder';
import {
  DEFAULT_NONCONFORMITY_TIMING,
  nonconformityClosedSignal,
  nonconformityWorkflowId,
  type nonconformity,
  type NonconformityClosedNotice,
  type NonconformityTiming,
  type NonconformityWorkflowInput,
} from './nonconformity.workflow';

// ---------------------------------------------------------------------------------------------------------
// Input, update arguments, results
// ---------------------------------------------------------------------------------------------------------

/** What the workflow carries into its next run when it continues as new. */
export interface LifecycleCarriedState {
  state: AiSystemRecord;
}

export interface AiSystemLifecycleInput {
  /**
   * The system as registered (the domain's RegisterAiSystem without type and time: the workflow stamps
   * the time). `policy` holds every duration: task response times, escalation delay, review interval.
   */
  registration: Omit<RegisterAiSystem, 'type' | 'at'>;
  /** Continue as new past this many history events even before Temporal suggests it (optional bound). */
  continueAsNewAfterHistoryLength?: number;
  /**
   * Timing of the `nonconformity` workflows this system's breaches and serious incidents start (review
   * delay, reminder lead time, escalation delay); DEFAULT_NONCONFORMITY_TIMING when left out.
   */
  nonconformityTiming?: NonconformityTiming;
  /** Set by the workflow itself when it continues as new; callers leave it out. */
  carried?: LifecycleCarriedState;
}

/** Who acts: an actor id and every AIMS role they hold (the API takes both from the token). */
export type ActingPerson = { by: Actor };
/** A command's fields as a caller gives them: no type, no time (the workflow's clock), `by` from the caller. */
type Fields<C> = Omit<C, 'type' | 'at' | 'by'>;
/** Ids a caller may leave to the workflow (then derived from the state, so deterministic). */
type WithOptional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

export type SubmitImpactAssessmentInput = ActingPerson & { assessmentId?: string; content: ImpactAssessmentContent };
export type DecideTaskInput = ActingPerson & {
  taskId: string;
  outcome: HumanTaskOutcome;
  /** Required unless approving. */
  reasons?: string[];
  comment?: string | null;
  evidenceRefs?: string[];
};
export type RecordDatasetInput = ActingPerson & WithOptional<Fields<RecordDataset>, 'datasetId'>;
export type RecordDataQualityCheckInput = ActingPerson & WithOptional<Fields<RecordDataQualityCheck>, 'checkId'>;
export type ProposeModelVersionInput = ActingPerson & Fields<ProposeModelVersion>;
export type RecordValidationResultsInput = ActingPerson & WithOptional<Fields<RecordValidationResults>, 'validationId'>;
/** `requestId` doubles as an idempotency key: the same request sent again gets the same answer. */
export type RequestDeploymentInput = ActingPerson & WithOptional<Omit<Fields<RequestDeployment>, 'approvalTaskId'>, 'requestId'>;
export type RecordDeploymentCompletedInput = ActingPerson & Fields<RecordDeploymentCompleted>;
export type RecordMonitoringReportInput = ActingPerson & WithOptional<Omit<Fields<RecordMonitoringReport>, 'nonconformityIds'>, 'reportId'>;
export type ReportIncidentInput = ActingPerson & WithOptional<Omit<Fields<ReportIncident>, 'nonconformityIds'>, 'incidentId'>;
export type CloseNonconformityInput = ActingPerson & Fields<CloseNonconformity>;
export type RecordChangeInput = ActingPerson & WithOptional<Fields<RecordChange>, 'changeId'>;
export type RequestDecommissioningInput = ActingPerson & WithOptional<Omit<Fields<RequestDecommissioning>, 'approvalTaskId'>, 'requestId'>;
export type CompleteDecommissioningInput = ActingPerson & Fields<CompleteDecommissioning>;

/** One evidence event a step appended to `ai-system-<id>`. */
export interface RecordedEvidenceRef {
  type: AiSystemEventType;
  evidenceId: string;
}

/** What every update answers; the evidence listed is in the store before the answer is given. */
export interface LifecycleStepResult {
  systemId: string;
  stage: LifecycleStage;
  recorded: RecordedEvidenceRef[];
  /** Human tasks this step opened (someone must now decide them). */
  openedTasks: AiSystemTask[];
}

export type ImpactAssessmentSubmittedResult = LifecycleStepResult & { assessmentId: string; revision: number; reviewTaskId: string };
export type TaskDecidedResult = LifecycleStepResult & { taskId: string; kind: AiSystemTaskKind; outcome: HumanTaskOutcome };
export type DatasetRecordedResult = LifecycleStepResult & { datasetId: string };
export type DataQualityCheckResult = LifecycleStepResult & { checkId: string; datasetId: string; passed: boolean };
export type ModelVersionProposedResult = LifecycleStepResult & { modelVersion: string; supersedes: string[] };
export type ValidationRecordedResult = LifecycleStepResult & {
  validationId: string;
  /** Pass/fail per acceptance criterion, as the acceptance-criteria activity found. */
  evaluation: AcceptanceEvaluation;
  /** The validator's sign-off task when the criteria passed, else null. */
  signOffTaskId: string | null;
};
/** The deployment gate's answer: allowed, blocked with every reason, or pending with the task to sign. */
export type DeploymentGateAnswer = LifecycleStepResult & {
  requestId: string;
  outcome: 'allowed' | 'blocked' | 'pending';
  status: DeploymentRequestStatus;
  reasons: DeploymentBlockReason[];
  approvalTaskId: string | null;
  task: AiSystemTask | null;
  /** true when this request id had been answered before: nothing new was recorded. */
  repeated: boolean;
};
export type DeploymentCompletedResult = LifecycleStepResult & { requestId: string; production: boolean };
export type MonitoringReportResult = LifecycleStepResult & {
  reportId: string;
  breaches: { metric: string; value: number; threshold: number; direction: MetricDirection; nonconformityId: string }[];
  /** Nonconformities this report opened (references; corrective action follows in their own workflow). */
  nonconformitiesOpened: string[];
};
export type IncidentReportedResult = LifecycleStepResult & { incidentId: string; nonconformityId: string | null };
export type NonconformityClosedResult = LifecycleStepResult & { nonconformityId: string };
export type ChangeRecordedResult = LifecycleStepResult & { changeId: string; significant: boolean };
export type DecommissioningRequestedResult = LifecycleStepResult & { requestId: string; approvalTaskId: string };
export type DecommissionedResult = LifecycleStepResult & { requestId: string };

export const submitImpactAssessmentUpdate = defineUpdate<ImpactAssessmentSubmittedResult, [SubmitImpactAssessmentInput]>('submitImpactAssessment');
export const decideTaskUpdate = defineUpdate<TaskDecidedResult, [DecideTaskInput]>('decideTask');
export const recordDatasetUpdate = defineUpdate<DatasetRecordedResult, [RecordDatasetInput]>('recordDataset');
export const recordDataQualityCheckUpdate = defineUpdate<DataQualityCheckResult, [RecordDataQualityCheckInput]>('recordDataQualityCheck');
export const proposeModelVersionUpdate = defineUpdate<ModelVersionProposedResult, [ProposeModelVersionInput]>('proposeModelVersion');
export const recordValidationResultsUpdate = defineUpdate<ValidationRecordedResult, [RecordValidationResultsInput]>('recordValidationResults');
export const requestDeploymentUpdate = defineUpdate<DeploymentGateAnswer, [RequestDeploymentInput]>('requestDeployment');
export const recordDeploymentCompletedUpdate = defineUpdate<DeploymentCompletedResult, [RecordDeploymentCompletedInput]>('recordDeploymentCompleted');
export const recordMonitoringReportUpdate = defineUpdate<MonitoringReportResult, [RecordMonitoringReportInput]>('recordMonitoringReport');
export const reportIncidentUpdate = defineUpdate<IncidentReportedResult, [ReportIncidentInput]>('reportIncident');
export const closeNonconformityUpdate = defineUpdate<NonconformityClosedResult, [CloseNonconformityInput]>('closeNonconformity');
export const recordChangeUpdate = defineUpdate<ChangeRecordedResult, [RecordChangeInput]>('recordChange');
export const requestDecommissioningUpdate = defineUpdate<DecommissioningRequestedResult, [RequestDecommissioningInput]>('requestDecommissioning');
export const completeDecommissioningUpdate = defineUpdate<DecommissionedResult, [CompleteDecommissioningInput]>('completeDecommissioning');

export const stageQuery = defineQuery<LifecycleStage | 'unregistered'>('stage');
export const openTasksQuery = defineQuery<AiSystemTask[]>('openTasks');
export const versionsQuery = defineQuery<ModelVersionView[]>('versions');
export const lifecycleQuery = defineQuery<LifecycleView>('lifecycle');
/** The whole state, for audits and tests (the evidence stream folds to exactly this). */
export const stateQuery = defineQuery<AiSystemState>('state');
export const deploymentRequestQuery = defineQuery<DeploymentRequestView | null, [string]>('deploymentRequest');

/** An update definition with its argument and result (the SDK's type, named without a second import). */
type UpdateDefinition<R, A> = ReturnType<typeof defineUpdate<R, [A]>>;

// ---------------------------------------------------------------------------------------------------------
// Activities and small helpers
// ---------------------------------------------------------------------------------------------------------

// A pure check: it fails only on a bug or a broken worker, so a few quick retries are enough.
const { checkAcceptanceCriteria } = proxyActivities<AcceptanceCriteriaActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumAttempts: 5 },
});

/** The workflow's clock (deterministic inside a workflow): every command is stamped with it. */
function now(): string {
  return new Date().toISOString();
}

/** A refusal as the failure the caller receives: the code as its type, the domain error as its details. */
function refusal(error: AiSystemError): ApplicationFailure {
  return ApplicationFailure.create({ type: error.code, message: error.message, details: [error], nonRetryable: true });
}

function invalidUpdate(update: string, problem: string): ApplicationFailure {
  return refusal(domainError('INVALID_COMMAND', `${update} is invalid: ${problem}.`, { command: update, problems: [problem] }));
}

/** The first `<prefix>-<n>` (n from `start`) that `taken` does not claim: ids are derived, so replay makes the same. */
function freshId(prefix: string, start: number, taken: (id: string) => boolean): string {
  for (let n = start; ; n += 1) {
    const id = `${prefix}-${n}`;
    if (!taken(id)) return id;
  }
}

/** Only the actor's id and roles go into a command (nothing else a caller sends can reach the evidence). */
function actorOf(by: unknown): Actor {
  if (typeof by !== 'object' || by === null) return by as Actor; // refused by the domain as INVALID_ACTOR
  const { id, roles } = by as Actor;
  return { id, roles: Array.isArray(roles) ? [...roles] : roles };
}

/** Commands only the workflow issues (timers, the acceptance check); no update maps to them. */
const WORKFLOW_COMMANDS: ReadonlySet<AiSystemCommand['type']> = new Set<AiSystemCommand['type']>([
  'RegisterAiSystem',
  'EvaluateAcceptanceCriteria',
  'RecordMonitoringReviewDue',
  'SendHumanTaskReminder',
  'EscalateHumanTask',
]);

function ofType<T extends AiSystemEventType>(events: AiSystemEvent[], type: T): Extract<AiSystemEvent, { type: T }>[] {
  return events.filter((e): e is Extract<AiSystemEvent, { type: T }> => e.type === type);
}

function firstOfType<T extends AiSystemEventType>(events: AiSystemEvent[], type: T): Extract<AiSystemEvent, { type: T }> {
  const found = ofType(events, type)[0];
  // The domain always emits it for this command; anything else is a bug to surface, not to paper over.
  if (found === undefined) throw new Error(`bug: expected a ${type} event among ${events.map((e) => e.type).join(', ')}`);
  return found;
}

// ---------------------------------------------------------------------------------------------------------
// Corrective action: the nonconformity workflow a breach or a serious incident starts
// ---------------------------------------------------------------------------------------------------------

/** The Temporal patch marking runs that start the `nonconformity` workflow (see the header). */
export const NONCONFORMITY_WORKFLOW_PATCH = 'lifecycle-starts-nonconformity-workflow';
/** The patch marking runs whose nonconformity ids name the system (domain/ai-system/identity.ts). */
export const NONCONFORMITY_IDS_PATCH = 'nonconformity-ids-per-system';

/** How serious the nonconformity is, by what opened it: a breach is major; an incident keeps its weight. */
function severityOf(incident: IncidentSeverity | null): NonconformitySeverity {
  if (incident === null) return 'major';
  return incident === 'critical' ? 'critical' : incident === 'high' ? 'major' : 'minor';
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The `nonconformity` workflow's input for a NonconformityOpened event of this system (pure, so tests and
 * the API can check the mapping). `openedEvidenceId` is the evidence id of that event: the raise names it
 * as its cause. A breach concerns control A.6.2.6 (AI systems run and watched in operation).
 */
export function nonconformityInputFor(
  systemId: string,
  opened: Extract<AiSystemEvent, { type: 'NonconformityOpened' }>,
  openedEvidenceId: string,
  incidentSeverity: IncidentSeverity | null,
  timing: NonconformityTiming,
): NonconformityWorkflowInput {
  const source = opened.source;
  return {
    nonconformityId: opened.nonconformityId,
    raisedBy: { id: opened.by.id, role: opened.by.role },
    title: clip(
      source.type === 'monitoring_breach'
        ? `Monitoring threshold breached: ${source.metric} of AI system ${systemId}`
        : `Serious incident ${source.incidentId} of AI system ${systemId}`,
      200,
    ),
    description: clip(opened.description, 10_000),
    source: source.type,
    sourceReference: source.type === 'monitoring_breach' ? `${source.reportId}/${source.metric}` : source.incidentId,
    severity: severityOf(source.type === 'incident' ? incidentSeverity : null),
    aiSystemIds: [systemId],
    annexAControlIds: source.type === 'monitoring_breach' ? ['A.6.2.6'] : [],
    clauseIds: [],
    timing,
    aiSystemId: systemId,
    triggeringEvidenceEventId: openedEvidenceId,
  };
}

// ---------------------------------------------------------------------------------------------------------
// The workflow
// ---------------------------------------------------------------------------------------------------------

/** What one recorded step left behind. */
interface Step {
  events: AiSystemEvent[];
  recorded: RecordedEvidenceRef[];
}

export async function aiSystemLifecycle(input: AiSystemLifecycleInput): Promise<LifecycleView> {
  const systemId = input.registration?.systemId;
  const expectedId = lifecycleWorkflowId(String(systemId));
  if (workflowInfo().workflowId !== expectedId) {
    throw ApplicationFailure.create({
      type: 'WRONG_WORKFLOW_ID',
      message: `The lifecycle of AI system ${String(systemId)} must run as ${expectedId}, not ${workflowInfo().workflowId}`,
      nonRetryable: true,
    });
  }
  const stream = aiSystemStreamName(systemId);
  // Decided once per run, at its start (validators may not record markers); older runs replay with 'legacy'.
  const nonconformityIds: NonconformityIdScheme = patched(NONCONFORMITY_IDS_PATCH) ? 'per-system' : 'legacy';

  let state: AiSystemState = input.carried?.state ?? INITIAL_AI_SYSTEM_STATE;
  /** The state the queued registration will produce: what validators judge by until it is recorded. */
  let pendingRegistration: AiSystemState | null = null;
  /** Counts recorded steps: the timer loop wakes when it moves. */
  let changes = 0;

  // ----- one step at a time -----

  let tail: Promise<unknown> = Promise.resolve();
  /** Runs `work` after every step queued before it; each decides on the state the previous one left. */
  function serially<T>(work: () => Promise<T>): Promise<T> {
    const run = tail.then(work);
    tail = run.catch(() => undefined);
    return run;
  }

  const judged = (): AiSystemState => pendingRegistration ?? state;
  const record = (): AiSystemRecord => {
    if (!isRegistered(state)) throw new Error('bug: the AI system is not registered yet');
    return state;
  };

  /** Decides, records the events as evidence, then folds them: the state never runs ahead of the evidence. */
  async function step(command: AiSystemCommand, causationId?: string): Promise<Step> {
    const decided = decide(command, state);
    if (!decided.ok) {
      // A person's command refused here fails only their update. The workflow's own commands follow the
      // rules `decide` applies, so their refusal is a bug: a plain Error fails the workflow task, which
      // Temporal retries (visible, fixable by a new worker version) instead of failing the lifecycle.
      if (WORKFLOW_COMMANDS.has(command.type)) throw new Error(`bug: ${command.type} refused: ${decided.error.code} ${decided.error.message}`);
      throw refusal(decided.error);
    }
    const events = decided.value;
    if (events.length === 0) return { events, recorded: [] };
    const { ids } = await recordEvidence(
      stream,
      events.map((e) => ({ type: e.type, data: eventData(e) })),
      // The batch is the act of whoever issued the command (a decision and the transitions it causes).
      { actor: eventActor(events[0]), ...(causationId === undefined ? {} : { causationId }) },
    );
    state = events.reduce(evolve, state);
    changes += 1;
    return { events, recorded: events.map((e, i) => ({ type: e.type, evidenceId: ids[i] })) };
  }

  function resultOf(steps: Step[]): LifecycleStepResult {
    const events = steps.flatMap((s) => s.events);
    const opened = ofType(events, 'HumanTaskOpened').map((e) => e.taskId);
    const s = record();
    return {
      systemId,
      stage: s.stage,
      recorded: steps.flatMap((x) => x.recorded),
      openedTasks: opened.map((id) => findTask(s, id)).filter((t): t is AiSystemTask => t !== undefined),
    };
  }

  // The registration goes first in the queue, before any handler exists: updates delivered with the
  // workflow's first task are handed to their handlers as soon as those are set, and must queue behind it.
  const registering = isRegistered(state) ? null : beginRegistration(input.registration);

  // ----- ids the workflow derives when the caller leaves them out -----

  const ids = {
    task: (s: AiSystemRecord) => freshId(`${systemId}-task`, s.tasks.length + 1, (id) => findTask(s, id) !== undefined),
    assessment: (s: AiSystemRecord) => freshId('ia', s.impactAssessments.length + 1, (id) => s.impactAssessments.some((a) => a.assessmentId === id)),
    dataset: (s: AiSystemRecord) => freshId('dataset', s.datasets.length + 1, (id) => s.datasets.some((d) => d.datasetId === id)),
    check: (s: AiSystemRecord) => {
      const checks = s.datasets.flatMap((d) => d.qualityChecks.map((q) => q.checkId));
      return freshId('dq-check', checks.length + 1, (id) => checks.includes(id));
    },
    validation: (s: AiSystemRecord) => freshId('validation', s.validations.length + 1, (id) => findValidation(s, id) !== undefined),
    deployment: (s: AiSystemRecord) => freshId('deployment', s.deploymentRequests.length + 1, (id) => findDeploymentRequest(s, id) !== undefined),
    report: (s: AiSystemRecord) => freshId('report', s.monitoring.reportCount + 1, (id) => id === s.monitoring.lastReportId),
    incident: (s: AiSystemRecord) => freshId('incident', s.incidents.length + 1, (id) => s.incidents.some((i) => i.incidentId === id)),
    change: (s: AiSystemRecord) => freshId('change', s.changes.length + 1, (id) => s.changes.some((c) => c.changeId === id)),
    decommissioning: (s: AiSystemRecord) => {
      const asked = s.tasks.filter((t) => t.kind === 'decommissioning_approval').length;
      return freshId('decommissioning', asked + 1, (id) => s.decommissioning?.requestId === id);
    },
  };

  // ----- updates -----

  /**
   * Registers an update: its validator refuses at once whatever the handler would refuse; the handler
   * waits its turn, builds the command again from the state it finds, and runs `handle`.
   */
  function onUpdate<A extends ActingPerson, R>(
    update: UpdateDefinition<R, A>,
    toCommand: (arg: A, s: AiSystemState, at: string) => AiSystemCommand,
    handle: (command: AiSystemCommand, causationId: string | undefined) => Promise<R>,
  ): void {
    const build = (arg: A, s: AiSystemState): AiSystemCommand => {
      if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) throw invalidUpdate(update.name, 'the argument must be an object');
      // An update is always a person's act: without `by` the domain would take some commands as the system's own.
      if ((arg as { by?: unknown }).by === undefined) {
        throw refusal(domainError('INVALID_ACTOR', `${update.name} needs the actor who issues it (by).`, { command: update.name }));
      }
      return toCommand(arg, s, now());
    };
    setHandler(
      update,
      (arg: A) => {
        const causationId = currentUpdateInfo()?.id;
        return serially(() => handle(build(arg, state), causationId));
      },
      {
        validator: (arg: A) => {
          const s = judged();
          const refused = commandRefusal(build(arg, s), s);
          if (refused) throw refusal(refused);
        },
      },
    );
  }

  /** The common case: one command, one step, an answer read from its events. */
  function onSimpleUpdate<A extends ActingPerson, R>(
    update: UpdateDefinition<R, A>,
    toCommand: (arg: A, s: AiSystemState, at: string) => AiSystemCommand,
    answer: (done: Step, base: LifecycleStepResult) => R,
  ): void {
    onUpdate(update, toCommand, async (command, causationId) => {
      const done = await step(command, causationId);
      return answer(done, resultOf([done]));
    });
  }

  const registeredOr = <T>(s: AiSystemState, use: (r: AiSystemRecord) => T, otherwise: T): T => (isRegistered(s) ? use(s) : otherwise);

  // Impact assessment gate (6.1.4, 8.4, A.5)
  onSimpleUpdate(
    submitImpactAssessmentUpdate,
    (a, s, at) => ({
      type: 'SubmitImpactAssessment',
      assessmentId: a.assessmentId ?? registeredOr(s, ids.assessment, 'ia-1'),
      content: a.content,
      reviewTaskId: registeredOr(s, ids.task, `${systemId}-task-1`),
      by: actorOf(a.by),
      at,
    }),
    (done, base) => {
      const e = firstOfType(done.events, 'ImpactAssessmentSubmitted');
      return { ...base, assessmentId: e.assessmentId, revision: e.revision, reviewTaskId: e.reviewTaskId };
    },
  );

  // Every human task's decision
  onSimpleUpdate(
    decideTaskUpdate,
    (a, _s, at) => ({
      type: 'DecideHumanTask',
      taskId: a.taskId,
      outcome: a.outcome,
      reasons: a.reasons === undefined ? [] : a.reasons,
      ...(a.comment === undefined ? {} : { comment: a.comment }),
      ...(a.evidenceRefs === undefined ? {} : { evidenceRefs: a.evidenceRefs }),
      by: actorOf(a.by),
      at,
    }),
    (done, base) => {
      const e = firstOfType(done.events, 'HumanTaskDecided');
      return { ...base, taskId: e.taskId, kind: e.kind, outcome: e.outcome };
    },
  );

  // Data (A.7)
  onSimpleUpdate(
    recordDatasetUpdate,
    (a, s, at) => ({
      type: 'RecordDataset',
      datasetId: a.datasetId ?? registeredOr(s, ids.dataset, 'dataset-1'),
      name: a.name,
      purpose: a.purpose,
      provenance: a.provenance,
      acquisition: a.acquisition,
      preparation: a.preparation,
      by: actorOf(a.by),
      at,
    }),
    (done, base) => ({ ...base, datasetId: firstOfType(done.events, 'DatasetRecorded').datasetId }),
  );

  onSimpleUpdate(
    recordDataQualityCheckUpdate,
    (a, s, at) => ({
      type: 'RecordDataQualityCheck',
      checkId: a.checkId ?? registeredOr(s, ids.check, 'dq-check-1'),
      datasetId: a.datasetId,
      results: a.results,
      by: actorOf(a.by),
      at,
    }),
    (done, base) => {
      const e = firstOfType(done.events, 'DataQualityCheckRecorded');
      return { ...base, checkId: e.checkId, datasetId: e.datasetId, passed: e.passed };
    },
  );

  // Model versions and validation (A.6.2.4)
  onSimpleUpdate(
    proposeModelVersionUpdate,
    (a, _s, at) => ({
      type: 'ProposeModelVersion',
      modelVersion: a.modelVersion,
      artifactDigest: a.artifactDigest,
      description: a.description,
      by: actorOf(a.by),
      at,
    }),
    (done, base) => {
      const e = firstOfType(done.events, 'ModelVersionProposed');
      return { ...base, modelVersion: e.modelVersion, supersedes: e.supersedes };
    },
  );

  onUpdate(
    recordValidationResultsUpdate,
    (a, s, at) => ({
      type: 'RecordValidationResults',
      validationId: a.validationId ?? registeredOr(s, ids.validation, 'validation-1'),
      modelVersion: a.modelVersion,
      artifactDigest: a.artifactDigest,
      datasetIds: a.datasetIds,
      metrics: a.metrics,
      by: actorOf(a.by),
      at,
    }),
    async (command, causationId) => {
      const results = await step(command, causationId);
      const validationId = firstOfType(results.events, 'ValidationResultsRecorded').validationId;
      const evaluated = await evaluateAcceptance(validationId, causationId);
      const e = firstOfType(evaluated.events, 'AcceptanceCriteriaEvaluated');
      return {
        ...resultOf([results, evaluated]),
        validationId,
        evaluation: { passed: e.passed, results: e.results },
        signOffTaskId: e.signOffTaskId,
      };
    },
  );

  /** The acceptance-criteria activity checks the recorded metrics; the workflow records its verdict. */
  async function evaluateAcceptance(validationId: string, causationId: string | undefined): Promise<Step> {
    const s = record();
    const validation = findValidation(s, validationId);
    if (validation === undefined) throw new Error(`bug: validation ${validationId} was just recorded but is missing`);
    const evaluation = await checkAcceptanceCriteria({
      systemId,
      validationId,
      criteria: s.profile.acceptanceCriteria,
      metrics: validation.metrics,
    });
    // Steps are serial, so nothing changed the state while the activity ran: the task id derived now is free.
    return step({ type: 'EvaluateAcceptanceCriteria', validationId, signOffTaskId: ids.task(record()), evaluation, at: now() }, causationId);
  }

  // Deployment gate (A.6.2.5)
  function deploymentCommand(a: RequestDeploymentInput, s: AiSystemState, at: string): RequestDeployment {
    return {
      type: 'RequestDeployment',
      requestId: a.requestId ?? registeredOr(s, ids.deployment, 'deployment-1'),
      modelVersion: a.modelVersion,
      artifactDigest: a.artifactDigest,
      environment: a.environment,
      commit: a.commit,
      approvalTaskId: registeredOr(s, ids.task, `${systemId}-task-1`),
      by: actorOf(a.by),
      at,
    };
  }

  /** The same request sent again (a pipeline's retry): answered from the record, nothing new recorded. */
  function repeatedRequest(a: RequestDeploymentInput, s: AiSystemState): boolean {
    if (!isRegistered(s) || typeof a.requestId !== 'string') return false;
    const r = findDeploymentRequest(s, a.requestId);
    return (
      r !== undefined &&
      r.modelVersion === a.modelVersion &&
      r.artifactDigest === a.artifactDigest &&
      r.environment === a.environment &&
      r.commit === a.commit
    );
  }

  function gateAnswer(requestId: string, steps: Step[], repeated: boolean): DeploymentGateAnswer {
    const view = deploymentRequestView(state, requestId);
    if (view === null) throw new Error(`bug: deployment request ${requestId} is missing`);
    const base = resultOf(steps);
    const outcome = view.outcome === 'completed' ? 'allowed' : view.outcome;
    return {
      ...base,
      requestId,
      outcome,
      status: view.status,
      reasons: view.reasons,
      approvalTaskId: view.approvalTaskId,
      task: view.outcome === 'pending' ? view.task : null,
      repeated,
    };
  }

  setHandler(
    requestDeploymentUpdate,
    (a: RequestDeploymentInput) => {
      const causationId = currentUpdateInfo()?.id;
      return serially(async () => {
        if (repeatedRequest(a, state)) {
          const authority = commandAuthority('RequestDeployment', actorOf(a.by));
          if (!authority.ok) throw refusal(authority.error);
          return gateAnswer(a.requestId as string, [], true);
        }
        const command = deploymentCommand(a, state, now());
        const done = await step(command, causationId);
        return gateAnswer(command.requestId, [done], false);
      });
    },
    {
      validator: (a: RequestDeploymentInput) => {
        if (typeof a !== 'object' || a === null || Array.isArray(a)) throw invalidUpdate('requestDeployment', 'the argument must be an object');
        const s = judged();
        if (repeatedRequest(a, s)) {
          const authority = commandAuthority('RequestDeployment', actorOf(a.by));
          if (!authority.ok) throw refusal(authority.error);
          return;
        }
        const refused = commandRefusal(deploymentCommand(a, s, now()), s);
        if (refused) throw refusal(refused);
      },
    },
  );

  onSimpleUpdate(
    recordDeploymentCompletedUpdate,
    (a, _s, at) => ({ type: 'RecordDeploymentCompleted', requestId: a.requestId, by: actorOf(a.by), at }),
    (done, base) => {
      const e = firstOfType(done.events, 'DeploymentCompleted');
      return { ...base, requestId: e.requestId, production: e.production };
    },
  );

  // Operation and monitoring (9.1, A.6.2.6, A.8.4, 10.2)
  onUpdate(
    recordMonitoringReportUpdate,
    (a, s, at) => ({
      type: 'RecordMonitoringReport',
      reportId: a.reportId ?? registeredOr(s, ids.report, 'report-1'),
      window: a.window,
      metrics: a.metrics,
      nonconformityIds,
      by: actorOf(a.by),
      at,
    }),
    async (command, causationId) => {
      const done = await step(command, causationId);
      await startCorrectiveAction(done);
      return {
        ...resultOf([done]),
        reportId: firstOfType(done.events, 'MonitoringReportRecorded').reportId,
        breaches: ofType(done.events, 'MonitoringThresholdBreached').map((b) => ({
          metric: b.metric,
          value: b.value,
          threshold: b.threshold,
          direction: b.direction,
          nonconformityId: b.nonconformityId,
        })),
        nonconformitiesOpened: ofType(done.events, 'NonconformityOpened').map((n) => n.nonconformityId),
      };
    },
  );

  onUpdate(
    reportIncidentUpdate,
    (a, s, at) => ({
      type: 'ReportIncident',
      incidentId: a.incidentId ?? registeredOr(s, ids.incident, 'incident-1'),
      nonconformityIds,
      severity: a.severity,
      description: a.description,
      ...(a.modelVersion === undefined ? {} : { modelVersion: a.modelVersion }),
      ...(a.occurredAt === undefined ? {} : { occurredAt: a.occurredAt }),
      by: actorOf(a.by),
      at,
    }),
    async (command, causationId) => {
      const done = await step(command, causationId);
      await startCorrectiveAction(done);
      const e = firstOfType(done.events, 'IncidentReported');
      return { ...resultOf([done]), incidentId: e.incidentId, nonconformityId: e.nonconformityId };
    },
  );

  /**
   * Starts the `nonconformity` workflow of every nonconformity the step opened, once its evidence is
   * recorded (still in the step's turn, so the answer comes after the child has started). Only in runs
   * with the patch marker: older histories replay without a child.
   */
  async function startCorrectiveAction(done: Step): Promise<void> {
    const opened = done.events.flatMap((e, i) => (e.type === 'NonconformityOpened' ? [{ event: e, evidenceId: done.recorded[i].evidenceId }] : []));
    if (opened.length === 0 || !patched(NONCONFORMITY_WORKFLOW_PATCH)) return;
    const incidentSeverity = ofType(done.events, 'IncidentReported')[0]?.severity ?? null;
    for (const { event, evidenceId } of opened) {
      const childInput = nonconformityInputFor(systemId, event, evidenceId, incidentSeverity, input.nonconformityTiming ?? DEFAULT_NONCONFORMITY_TIMING);
      // The child would refuse the same raise at its start; checking here keeps a lifecycle step from
      // starting a workflow that can only fail. The reference stays open in this system's record, and the
      // nonconformity can still be raised through the API.
      const { timing, aiSystemId: _system, triggeringEvidenceEventId: _cause, ...raise } = childInput;
      const refused = decideNonconformity({ type: 'RaiseNonconformity', ...raise, at: now(), effectivenessReviewDelay: timing.effectivenessReviewDelay }, null);
      if (!refused.ok) {
        log.warn(`nonconformity ${event.nonconformityId} not started: ${refused.error.code} ${refused.error.message}`);
        continue;
      }
      try {
        await startChild<typeof nonconformity>('nonconformity', {
          workflowId: nonconformityWorkflowId(event.nonconformityId),
          args: [childInput],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          // Never a second run under the same id: it would raise the nonconformity again in its stream.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
      } catch (error) {
        // Already raised (e.g. through the API under the same id): that workflow is the corrective action.
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
    }
  }

  // The nonconformity workflow's own closure (its corrective action was effective) closes the reference
  // here too, as the system's act, linked to the closure's evidence.
  // Returned, not voided: the run waits for it (allHandlersFinished) before it ends or continues as new.
  setHandler(nonconformityClosedSignal, (notice: NonconformityClosedNotice) =>
    serially(async () => {
      const command: AiSystemCommand = {
        type: 'CloseNonconformity',
        nonconformityId: notice.nonconformityId,
        resolution: `closed by its corrective action (round ${notice.round}) at ${notice.closedAt}`,
        at: now(),
      };
      // Closed here already by a person, or not this system's: nothing to record.
      const refused = commandRefusal(command, state);
      if (refused) {
        log.info(`nonconformity ${notice.nonconformityId} closure not recorded: ${refused.code} ${refused.message}`);
        return;
      }
      try {
        await step(command, notice.causationId ?? undefined);
      } catch (error) {
        // A signal has no caller to answer, and its failure must not end the lifecycle: the reference stays
        // open, for a person to close with the closeNonconformity update.
        log.error(`nonconformity ${notice.nonconformityId} closure not recorded: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );

  onSimpleUpdate(
    closeNonconformityUpdate,
    (a, _s, at) => ({ type: 'CloseNonconformity', nonconformityId: a.nonconformityId, resolution: a.resolution, by: actorOf(a.by), at }),
    (done, base) => ({ ...base, nonconformityId: firstOfType(done.events, 'NonconformityClosed').nonconformityId }),
  );

  // Change (6.3)
  onSimpleUpdate(
    recordChangeUpdate,
    (a, s, at) => ({
      type: 'RecordChange',
      changeId: a.changeId ?? registeredOr(s, ids.change, 'change-1'),
      description: a.description,
      significant: a.significant,
      ...(a.amendments === undefined ? {} : { amendments: a.amendments }),
      by: actorOf(a.by),
      at,
    }),
    (done, base) => {
      const e = firstOfType(done.events, 'ChangeRecorded');
      return { ...base, changeId: e.changeId, significant: e.significant };
    },
  );

  // Decommissioning: request → approval (decideTask) → completion with the data-retention decision
  onSimpleUpdate(
    requestDecommissioningUpdate,
    (a, s, at) => ({
      type: 'RequestDecommissioning',
      requestId: a.requestId ?? registeredOr(s, ids.decommissioning, 'decommissioning-1'),
      reason: a.reason,
      approvalTaskId: registeredOr(s, ids.task, `${systemId}-task-1`),
      by: actorOf(a.by),
      at,
    }),
    (done, base) => {
      const e = firstOfType(done.events, 'DecommissioningRequested');
      return { ...base, requestId: e.requestId, approvalTaskId: e.approvalTaskId };
    },
  );

  onSimpleUpdate(
    completeDecommissioningUpdate,
    (a, _s, at) => ({ type: 'CompleteDecommissioning', dataRetention: a.dataRetention, by: actorOf(a.by), at }),
    (done, base) => ({ ...base, requestId: firstOfType(done.events, 'AiSystemDecommissioned').requestId }),
  );

  // ----- queries -----

  setHandler(stageQuery, () => state.stage);
  setHandler(openTasksQuery, () => openHumanTasks(state));
  setHandler(versionsQuery, () => modelVersionsView(state));
  setHandler(lifecycleQuery, () => lifecycleView(state));
  setHandler(stateQuery, () => state);
  setHandler(deploymentRequestQuery, (requestId: string) => deploymentRequestView(state, requestId));

  // ----- the process -----

  if (registering !== null) await registering;
  const ending = await keepTimeUntilDone();
  // Let every accepted update finish (and be answered) before the run ends.
  await condition(allHandlersFinished);
  if (ending === 'continue-as-new') {
    return continueAsNew<typeof aiSystemLifecycle>({ ...input, carried: { state: record() } });
  }
  return lifecycleView(state);

  // ----- the steps of the process, in the order they happen -----

  /**
   * Queues the registration's step; until it is recorded, validators judge updates against the state it
   * will produce (their handlers wait behind it in the queue).
   */
  function beginRegistration(registration: AiSystemLifecycleInput['registration']): Promise<void> {
    const command: RegisterAiSystem = { ...registration, by: actorOf(registration?.by), type: 'RegisterAiSystem', at: now() };
    const decided = decide(command, state);
    if (!decided.ok) {
      // Invalid registrations should be refused by the caller before starting the workflow (the same
      // `decide`); one that gets here ends the workflow with the reason.
      throw refusal(decided.error);
    }
    pendingRegistration = decided.value.reduce(evolve, state);
    return serially(async () => {
      await step(command);
      pendingRegistration = null;
    });
  }

  function timeToContinueAsNew(): boolean {
    const info = workflowInfo();
    const limit = input.continueAsNewAfterHistoryLength;
    return info.continueAsNewSuggested || (limit !== undefined && info.historyLength >= limit);
  }

  function decommissioned(): boolean {
    return state.stage === 'decommissioned';
  }

  /** The next instant the workflow must act by itself, and why; null when only people can move it on. */
  function nextDeadline(): { at: string; summary: string } | null {
    const task = nextHumanTaskDeadline(state);
    const review = nextMonitoringReviewDueAt(state);
    if (task !== null && (review === null || Date.parse(task) <= Date.parse(review))) return { at: task, summary: 'human task reminder or escalation' };
    if (review !== null) return { at: review, summary: 'monitoring review due' };
    return null;
  }

  /**
   * Sleeps until the next reminder, escalation or review falls due, waking early whenever a step changes
   * the state (a decision may close the task being waited on), until the system is decommissioned or the
   * history should be continued as new.
   */
  async function keepTimeUntilDone(): Promise<'decommissioned' | 'continue-as-new'> {
    for (;;) {
      if (decommissioned()) return 'decommissioned';
      if (timeToContinueAsNew()) return 'continue-as-new';
      const seen = changes;
      const interrupted = () => changes !== seen || decommissioned() || timeToContinueAsNew();
      const next = nextDeadline();
      if (next === null) {
        await condition(interrupted);
        continue;
      }
      const wait = Date.parse(next.at) - Date.now();
      // At least 1 ms: the timer must fire after the instant, never before it.
      if (await condition(interrupted, Math.max(wait, 1), { summary: next.summary })) continue;
      await serially(takeDueSteps);
    }
  }

  /** Reminders, escalations to the AIMS owner and the periodic monitoring review that are due now. */
  async function takeDueSteps(): Promise<void> {
    if (decommissioned()) return;
    const at = now();
    for (const command of dueHumanTaskCommands(state, at)) await step(command);
    const review = nextMonitoringReviewDueAt(state);
    if (review !== null && Date.parse(review) <= Date.parse(at)) {
      await step({ type: 'RecordMonitoringReviewDue', reviewTaskId: ids.task(record()), at });
    }
  }
}
