/**
 * An internal audit (ISO/IEC 42001 9.2.1): one audit of the AIMS, driven
 *
 *   planned → fieldwork → report → follow_up → closed
 *
 * Planned: its scope (areas: clauses, controls, processes, AI systems), its criteria, the lead auditor and
 * team, and its dates. Fieldwork: evidence sampled as of a stated global position of the evidence store
 * (event ids and positions recorded, so the audit can be repeated), a checklist result per criterion, and
 * findings (conformity, observation, opportunity for improvement, minor or major nonconformity), each with
 * evidence refs. The report closes fieldwork; every nonconformity finding has opened a linked corrective
 * action (a `nonconformity` process); the audit closes only when each of them is closed or has an approved
 * plan.
 *
 * Independence (9.2.1, "objectivity and impartiality"): no auditor audits an area they are responsible for
 * or a record they authored (AUDITOR_NOT_INDEPENDENT). Who is responsible for an area is what the people
 * register's appointments say (independence.ts; read by the engine when the plan, a sample or a finding is
 * decided) and what the plan declares (`responsibilities`, e.g. the area owners the programme names); who
 * authored a sampled record is read from the evidence by the workflow and recorded with the sample. Commands, events and state are plain JSON (they cross Temporal payloads and become
 * evidence).
 */
import type { AppointmentCoverage } from '../people/model';
import type { HumanTask } from '../shared/human-task';
import type { Actor, ActorRef, AimsRole } from '../shared/roles';

export const INTERNAL_AUDIT_CATEGORY = 'internal-audit';
export const INTERNAL_AUDIT_SYSTEM_ACTOR: ActorRef = { id: 'aims:internal-audit', role: 'system' };
export const internalAuditWorkflowId = (auditId: string): string => `${INTERNAL_AUDIT_CATEGORY}-${auditId}`;
export const internalAuditStream = internalAuditWorkflowId;
/** The nonconformity a finding opens: one per finding, so a repeat never opens a second. */
export const findingNonconformityId = (auditId: string, findingId: string): string => `${auditId}-${findingId}`;

/** An audit id, a finding id, a criterion id: letters, digits, ".", "_" or "-", 1–64 long. */
export const AUDIT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Who may plan an audit (the programme's responsibility: 9.2.2) and who may audit. */
export const AUDIT_PLANNER_ROLES: readonly AimsRole[] = ['internal_auditor', 'aims_owner'];
export const AUDITOR_ROLES: readonly AimsRole[] = ['internal_auditor'];

export const AUDIT_AREA_KINDS = ['clause', 'control', 'process', 'ai_system'] as const;
export type AuditAreaKind = (typeof AUDIT_AREA_KINDS)[number];
export type AuditArea = { kind: AuditAreaKind; id: string };
export const areaKey = (a: AuditArea): string => `${a.kind}:${a.id}`;

/**
 * Who is responsible for (appointed to) an area: a declared fact of the plan until the people register
 * records appointments; an auditor named here may not audit the area.
 */
export type AreaResponsibility = { area: AuditArea; personIds: string[] };

/**
 * One appointment in force of an auditor, as the people register holds it when a step is decided: read by
 * the engine (API, activity), never given by the caller (independence.ts).
 */
export type AuditorAppointment = { personId: string; appointmentId: string; role: AimsRole; covers: AppointmentCoverage };

export type AuditCriterion = { criterionId: string; text: string };

export const CHECKLIST_RESULTS = ['conforms', 'does_not_conform', 'not_applicable'] as const;
export type ChecklistResult = (typeof CHECKLIST_RESULTS)[number];

export const FINDING_TYPES = [
  'conformity',
  'observation',
  'opportunity_for_improvement',
  'minor_nonconformity',
  'major_nonconformity',
] as const;
export type FindingType = (typeof FINDING_TYPES)[number];
export const isNonconformityFinding = (t: FindingType): boolean => t === 'minor_nonconformity' || t === 'major_nonconformity';

/** One record of the evidence store in a sample: where it was, and who the evidence names as its actor. */
export type SampledRecord = { eventId: string; stream: string; type: string; position: number; authorId: string | null };

export type AuditSample = {
  sampleId: string;
  /** The global position the sample was taken as of: the records are those the store held then. */
  asOfPosition: number;
  records: SampledRecord[];
  takenBy: ActorRef;
  takenAt: string;
};

/** Where a nonconformity finding's corrective action stands, as the audit heard it. */
export type CorrectiveActionProgress = 'opened' | 'plan_approved' | 'closed' | 'not_started';

export type AuditFinding = {
  findingId: string;
  type: FindingType;
  criterionId: string | null;
  area: AuditArea | null;
  statement: string;
  evidenceRefs: string[];
  recordedBy: ActorRef;
  recordedAt: string;
  /** The corrective action a nonconformity finding opened, and where it stands. */
  nonconformityId: string | null;
  correctiveAction: CorrectiveActionProgress | null;
};

export type AuditStatus = 'planned' | 'fieldwork' | 'follow_up' | 'closed';

export type AuditPlan = {
  title: string;
  programmeId: string | null;
  scope: AuditArea[];
  criteria: AuditCriterion[];
  leadAuditor: string;
  team: string[];
  plannedStart: string;
  plannedEnd: string;
  responsibilities: AreaResponsibility[];
};

export type InternalAudit = {
  auditId: string;
  status: AuditStatus;
  plan: AuditPlan;
  plannedBy: ActorRef;
  plannedAt: string;
  fieldworkStartedAt: string | null;
  samples: AuditSample[];
  checklist: Array<{ criterionId: string; result: ChecklistResult; evidenceRefs: string[]; note: string; by: ActorRef; at: string }>;
  findings: AuditFinding[];
  report: { summary: string; conclusion: string; issuedBy: ActorRef; issuedAt: string } | null;
  closedAt: string | null;
  /** The follow-up's inbox task (follow-up.ts); absent in audits reported before it existed. */
  followUp?: AuditFollowUpTask;
};

/**
 * The follow-up (9.2.1, 10.2) as a task of the one inbox, the lead auditor's: opened with the report, due a
 * stated time later, reminded then, escalated to the AIMS owner after an unanswered reminder, done when the
 * audit closes.
 */
export const AUDIT_FOLLOW_UP_TASK_KIND = 'internal_audit_follow_up';
export const auditFollowUpTaskId = (auditId: string): string => `${auditId}-follow-up`;
export type AuditFollowUpSubject = { type: 'internal_audit'; auditId: string; title: string };
export type AuditFollowUpTask = HumanTask<typeof AUDIT_FOLLOW_UP_TASK_KIND, AuditFollowUpSubject> & { assignee: string };

export type InternalAuditState = InternalAudit | null;
export const INITIAL_INTERNAL_AUDIT_STATE: InternalAuditState = null;

// ----- commands -----

/** `appointments`: the auditors' appointments in force (absent: the register was not consulted). */
export type PlanAudit = { type: 'PlanAudit'; auditId: string; by: Actor; at: string; appointments?: AuditorAppointment[] } & AuditPlan;
export type StartFieldwork = { type: 'StartFieldwork'; by: Actor; at: string };
/** The records come from the evidence store (an activity), with their authors; never from the caller. */
export type RecordSample = {
  type: 'RecordSample';
  sampleId: string;
  asOfPosition: number;
  records: SampledRecord[];
  /** The sampler's appointments in force now (absent: the register was not consulted). */
  appointments?: AuditorAppointment[];
  by: Actor;
  at: string;
};
export type RecordChecklistResult = {
  type: 'RecordChecklistResult';
  criterionId: string;
  result: ChecklistResult;
  evidenceRefs: string[];
  note: string;
  by: Actor;
  at: string;
};
export type RecordFinding = {
  type: 'RecordFinding';
  findingId: string;
  findingType: FindingType;
  criterionId: string | null;
  area: AuditArea | null;
  statement: string;
  evidenceRefs: string[];
  /** The recorder's appointments in force now (absent: the register was not consulted). */
  appointments?: AuditorAppointment[];
  by: Actor;
  at: string;
};
export type IssueReport = { type: 'IssueReport'; summary: string; conclusion: string; by: Actor; at: string };
/** What the audit hears from a finding's corrective action (the process's own step: no person). */
export type NoteCorrectiveAction = {
  type: 'NoteCorrectiveAction';
  nonconformityId: string;
  progress: Exclude<CorrectiveActionProgress, 'opened'>;
  reason: string | null;
  at: string;
};
export type CloseAudit = { type: 'CloseAudit'; by: Actor; at: string };

export type InternalAuditCommand =
  PlanAudit | StartFieldwork | RecordSample | RecordChecklistResult | RecordFinding | IssueReport | NoteCorrectiveAction | CloseAudit;

// ----- events -----

export type InternalAuditEvent =
  | ({ type: 'AuditPlanned'; auditId: string; by: ActorRef; at: string } & AuditPlan)
  | { type: 'AuditFieldworkStarted'; by: ActorRef; at: string }
  | { type: 'AuditSampleRecorded'; sampleId: string; asOfPosition: number; records: SampledRecord[]; by: ActorRef; at: string }
  | {
      type: 'AuditChecklistResultRecorded';
      criterionId: string;
      result: ChecklistResult;
      evidenceRefs: string[];
      note: string;
      by: ActorRef;
      at: string;
    }
  | {
      type: 'AuditFindingRecorded';
      findingId: string;
      findingType: FindingType;
      criterionId: string | null;
      area: AuditArea | null;
      statement: string;
      evidenceRefs: string[];
      nonconformityId: string | null;
      by: ActorRef;
      at: string;
    }
  | { type: 'AuditReportIssued'; summary: string; conclusion: string; by: ActorRef; at: string }
  | {
      type: 'FindingCorrectiveActionNoted';
      nonconformityId: string;
      findingId: string;
      progress: Exclude<CorrectiveActionProgress, 'opened'>;
      reason: string | null;
      at: string;
    }
  | { type: 'AuditClosed'; by: ActorRef; at: string }
  // The follow-up's inbox task, named and shaped as every process records its tasks.
  | {
      type: 'HumanTaskOpened';
      taskId: string;
      kind: typeof AUDIT_FOLLOW_UP_TASK_KIND;
      requiredRoles: AimsRole[];
      subject: AuditFollowUpSubject;
      requestedBy: null;
      assignee: string;
      dueAt: string;
      by: ActorRef;
      at: string;
    }
  | {
      type: 'HumanTaskReminderSent';
      taskId: string;
      dueAt: string;
      notifiedRoles: AimsRole[];
      notifiedPeople: string[];
      /** The corrective actions still pending when reminded (what the follow-up waits for). */
      pending: string[];
      by: ActorRef;
      at: string;
    }
  | { type: 'HumanTaskEscalated'; taskId: string; escalatedTo: AimsRole; by: ActorRef; at: string }
  | {
      type: 'HumanTaskDecided';
      taskId: string;
      kind: typeof AUDIT_FOLLOW_UP_TASK_KIND;
      outcome: 'approved';
      reasons: string[];
      by: ActorRef;
      at: string;
    };

export type InternalAuditEventType = InternalAuditEvent['type'];
