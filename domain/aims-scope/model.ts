/**
 * The scope of the AI management system (ISO/IEC 42001 4.3): the organisation's scope statement (its
 * organisational units, locations, lifecycle stages, the AI systems in and out, the third-party AI services
 * it uses, the exclusions each with a justification), and a decision per AI system on whether it is in
 * scope. One stream, `aims-scope-organisation`; one workflow.
 *
 * A statement is proposed by the AIMS owner and approved by top management (never its proposer) through a
 * task in the one inbox; each approved version replaces the one before (nothing is deleted). A system the
 * statement in force names takes its decision from it; any other is decided by a person (AIMS owner or top
 * management), asked through a task when the system registers. A person cannot contradict the statement in
 * force: that is a change of the scope (6.3), made by a new version. Commands, events and state are JSON.
 */
import type { HumanTask, HumanTaskOutcome } from '../shared/human-task';
import type { Actor, ActorRef, AimsRole } from '../shared/roles';
import { AIMS_SCOPE_WORKFLOW_ID, type AimsScopeDecisionBasis } from '../shared/scope-links';

export { AIMS_SCOPE_WORKFLOW_ID };
export const AIMS_SCOPE_CATEGORY = 'aims-scope';
export const AIMS_SCOPE_STREAM = AIMS_SCOPE_WORKFLOW_ID;
export const AIMS_SCOPE_SYSTEM_ACTOR: ActorRef = { id: 'aims:scope', role: 'system' };

export const SCOPE_PROPOSER_ROLES: readonly AimsRole[] = ['aims_owner'];
export const SCOPE_APPROVER_ROLES: readonly AimsRole[] = ['top_management'];
export const SCOPE_DECIDER_ROLES: readonly AimsRole[] = ['aims_owner', 'top_management'];
/** Time to approve a statement or decide a system's scope before the task is overdue. */
export const SCOPE_TASK_TIME_MS = 10 * 24 * 3_600_000;

export const SCOPE_TASK_KINDS = ['aims_scope_approval', 'ai_system_scope_decision'] as const;
export type ScopeTaskKind = (typeof SCOPE_TASK_KINDS)[number];

/**
 * Who an overdue scope task goes to once its reminder went unanswered: a system's scope decision (the AIMS
 * owner's) to top management, who may take it; a statement's approval to nobody else, since only top
 * management may put a scope in force (5.1, 4.3) and it is theirs already: it is reminded only.
 */
export const SCOPE_TASK_ESCALATION: Record<ScopeTaskKind, AimsRole | null> = {
  ai_system_scope_decision: 'top_management',
  aims_scope_approval: null,
};

export type ScopeSystemOut = { systemId: string; justification: string };
export type ThirdPartyAiService = { serviceId: string; provider: string; description: string; inScope: boolean; justification: string };
export type ScopeExclusion = { subject: string; justification: string };

export type ScopeStatement = {
  organisationalUnits: string[];
  locations: string[];
  lifecycleStages: string[];
  systemsIn: string[];
  systemsOut: ScopeSystemOut[];
  thirdPartyServices: ThirdPartyAiService[];
  exclusions: ScopeExclusion[];
};

/**
 * The controlled document (7.5, kind `aims_scope`) a statement rests on: its published version, named by the
 * proposer, checked by the API against the document's evidence (in force when proposed), with the digest of
 * its text so the record ties the statement to the exact words approved (4.3 "available as documented information").
 */
export type ScopeDocumentRef = {
  documentId: string;
  version: number;
  title: string;
  /** `sha256:…` of the version's Markdown (null for a version that is only attachments). */
  markdownDigest: string | null;
  publishedAt: string;
};

export type ScopeProposalStatus = 'awaiting_approval' | 'approved' | 'rejected';

export type ScopeProposal = {
  proposalId: string;
  summary: string;
  statement: ScopeStatement;
  proposedBy: ActorRef;
  proposedAt: string;
  approvalTaskId: string;
  status: ScopeProposalStatus;
  decidedBy: ActorRef | null;
  decidedAt: string | null;
  reasons: string[];
  /** The version its approval made. */
  version: number | null;
  /** The controlled document it rests on (absent: none named, or proposed before statements named one). */
  document?: ScopeDocumentRef | null;
};

export type ScopeStatementVersion = {
  version: number;
  proposalId: string;
  statement: ScopeStatement;
  approvedBy: ActorRef;
  approvedAt: string;
  /** When the next version replaced it (null while in force). */
  replacedAt: string | null;
  /** The controlled document the statement rests on (absent or null: none named). */
  document?: ScopeDocumentRef | null;
};

export type AiSystemScopeDecisionRecord = {
  systemId: string;
  inScope: boolean;
  justification: string;
  basis: AimsScopeDecisionBasis;
  decidedAt: string;
};

export type RegisteredSystemNote = { systemId: string; name: string; causeEventId: string; registeredAt: string; notedAt: string };

export type AimsScopeState = {
  /** The version in force (0: none approved yet). */
  version: number;
  versions: ScopeStatementVersion[];
  proposals: ScopeProposal[];
  /** Systems whose lifecycle said they registered. */
  systems: Record<string, RegisteredSystemNote>;
  /** The latest decision per system (earlier ones are in the evidence). */
  decisions: Record<string, AiSystemScopeDecisionRecord>;
  tasks: HumanTask<ScopeTaskKind>[];
};

export const INITIAL_AIMS_SCOPE_STATE: AimsScopeState = { version: 0, versions: [], proposals: [], systems: {}, decisions: {}, tasks: [] };

// ---------- commands ----------

export type ScopeStatementInput = {
  organisationalUnits: string[];
  locations: string[];
  lifecycleStages: string[];
  systemsIn: string[];
  systemsOut: ScopeSystemOut[];
  thirdPartyServices: ThirdPartyAiService[];
  exclusions: ScopeExclusion[];
};

export type ProposeScopeStatement = {
  type: 'ProposeScopeStatement';
  proposalId: string;
  approvalTaskId: string;
  summary: string;
  statement: ScopeStatementInput;
  /** The published version of the controlled scope document the statement rests on, if named. */
  document?: ScopeDocumentRef | null;
  by: Actor;
  at: string;
  /** How long top management has to decide it (ms); absent: SCOPE_TASK_TIME_MS. */
  taskTimeMs?: number;
};

export type DecideScopeStatement = {
  type: 'DecideScopeStatement';
  taskId: string;
  outcome: HumanTaskOutcome;
  reasons: string[];
  by: Actor;
  at: string;
};

/** The lifecycle of a system said it registered (the process's own step). */
export type NoteAiSystemRegistration = {
  type: 'NoteAiSystemRegistration';
  systemId: string;
  name: string;
  causeEventId: string;
  registeredAt: string;
  /** The scope-decision task to open if the statement in force does not name the system. */
  taskId: string;
  at: string;
  /** How long the AIMS owner has to decide (ms); absent: SCOPE_TASK_TIME_MS. */
  taskTimeMs?: number;
};

export type DecideAiSystemScope = {
  type: 'DecideAiSystemScope';
  systemId: string;
  inScope: boolean;
  justification: string;
  by: Actor;
  at: string;
};

/** The process's own (patch `aims-scope-task-reminders`): an overdue task reminded, then escalated. */
export type SendScopeTaskReminder = { type: 'SendScopeTaskReminder'; taskId: string; at: string };
export type EscalateScopeTask = { type: 'EscalateScopeTask'; taskId: string; escalationAfterMs: number; at: string };

export type AimsScopeCommand =
  ProposeScopeStatement | DecideScopeStatement | NoteAiSystemRegistration | DecideAiSystemScope | SendScopeTaskReminder | EscalateScopeTask;

// ---------- events ----------

type Base = { by: ActorRef; at: string };
export type ScopeStatementProposed = Base & {
  type: 'ScopeStatementProposed';
  proposalId: string;
  summary: string;
  statement: ScopeStatement;
};
/** The controlled document a proposed statement rests on (recorded with the proposal when it names one). */
export type ScopeStatementDocumentNamed = Base & { type: 'ScopeStatementDocumentNamed'; proposalId: string; document: ScopeDocumentRef };
export type ScopeTaskOpened = Base & {
  type: 'HumanTaskOpened';
  taskId: string;
  kind: ScopeTaskKind;
  requiredRoles: AimsRole[];
  subject: { type: 'scope_statement'; proposalId: string } | { type: 'ai_system'; systemId: string; name: string };
  requestedBy: string | null;
  dueAt: string;
};
export type ScopeTaskDecided = Base & {
  type: 'HumanTaskDecided';
  taskId: string;
  kind: ScopeTaskKind;
  outcome: HumanTaskOutcome;
  reasons: string[];
};
export type ScopeTaskSuperseded = Base & { type: 'HumanTaskSuperseded'; taskId: string; reason: string };
export type ScopeTaskReminderSent = Base & {
  type: 'HumanTaskReminderSent';
  taskId: string;
  dueAt: string;
  notifiedRoles: AimsRole[];
  notifiedPeople: string[];
};
export type ScopeTaskEscalated = Base & { type: 'HumanTaskEscalated'; taskId: string; escalatedTo: AimsRole };
export type ScopeStatementApproved = Base & {
  type: 'ScopeStatementApproved';
  proposalId: string;
  version: number;
  /** The version it replaces (null for the first). */
  replacesVersion: number | null;
};
export type ScopeStatementRejected = Base & { type: 'ScopeStatementRejected'; proposalId: string; reasons: string[] };
export type AiSystemRegistrationNoted = Base & {
  type: 'AiSystemRegistrationNoted';
  systemId: string;
  name: string;
  causeEventId: string;
  registeredAt: string;
};
export type AiSystemScopeDecided = Base & {
  type: 'AiSystemScopeDecided';
  systemId: string;
  inScope: boolean;
  justification: string;
  basis: AimsScopeDecisionBasis;
};

export type AimsScopeEvent =
  | ScopeStatementProposed
  | ScopeStatementDocumentNamed
  | ScopeTaskOpened
  | ScopeTaskDecided
  | ScopeTaskSuperseded
  | ScopeTaskReminderSent
  | ScopeTaskEscalated
  | ScopeStatementApproved
  | ScopeStatementRejected
  | AiSystemRegistrationNoted
  | AiSystemScopeDecided;

export type AimsScopeEventType = AimsScopeEvent['type'];
