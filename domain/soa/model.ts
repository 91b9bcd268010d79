/**
 * The Statement of Applicability (ISO/IEC 42001 6.1.3 d–f, Annex A): for each of the 38 Annex A controls
 * and each of the organisation's own controls, whether it applies, why (linked to risks, obligations or
 * the scope), who owns it and how it is implemented. One stream, `soa-organisation`; one workflow.
 *
 * A revision is proposed (AIMS owner, risk owner or top management), reviewed (AIMS owner or risk owner)
 * and approved (top management), neither by its proposer; the SoA in force is the last approved revision.
 * A risk treatment that adds or drops a control asks for a revision (a task in the one inbox). Controls
 * that no rule over the evidence can judge take an attested status, with evidence refs and a review date.
 * Commands, events and state are plain JSON (they cross Temporal payloads and become evidence).
 */
import type { HumanTask, HumanTaskOutcome } from '../shared/human-task';
import type { Actor, ActorRef, AimsRole } from '../shared/roles';

export const SOA_CATEGORY = 'soa';
export const SOA_STREAM = `${SOA_CATEGORY}-organisation`;
export const SOA_WORKFLOW_ID = SOA_STREAM;
export const SOA_SYSTEM_ACTOR: ActorRef = { id: 'aims:soa', role: 'system' };

/** Who may take each step (segregation of duties on top: see decide.ts). */
export const SOA_PROPOSER_ROLES: readonly AimsRole[] = ['aims_owner', 'risk_owner', 'top_management'];
export const SOA_REVIEWER_ROLES: readonly AimsRole[] = ['aims_owner', 'risk_owner'];
export const SOA_APPROVER_ROLES: readonly AimsRole[] = ['top_management'];
/** Who may ask for a revision (a risk treatment does it as the risk owner who changed the controls). */
export const SOA_REQUEST_ROLES: readonly AimsRole[] = ['aims_owner', 'risk_owner', 'top_management'];
/** Who may attest a control's status besides the control's owner named in the SoA in force. */
export const SOA_ATTESTER_ROLES: readonly AimsRole[] = ['aims_owner'];
/** Time to take a review, an approval or a requested revision before the task is overdue. */
export const SOA_TASK_TIME_MS = 10 * 24 * 3_600_000;

export const SOA_TASK_KINDS = ['soa_revision_review', 'soa_revision_approval', 'soa_revision_request'] as const;
export type SoaTaskKind = (typeof SOA_TASK_KINDS)[number];

/** The organisation's own controls: ids outside Annex A's namespace, so they never shadow one. */
export const OWN_CONTROL_ID = /^ORG-[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
export const OWN_CONTROL_ID_RULE = 'an own control id is ORG- then 1–63 letters, digits, ".", "_" or "-"';

/** Why a control is (or is not) included: the risks, obligations and scope it answers, as ids and text. */
export type SoaJustification = {
  text: string;
  /** Ids of risks in the risk register (`risk-<id>` streams) whose treatment chose the control. */
  riskIds: string[];
  /** Legal, contractual or other obligations (e.g. `EU AI Act Art.10`). */
  obligations: string[];
  /** The part of the AIMS scope (4.3) the decision rests on, if any. */
  scope: string | null;
};

export type SoaEntry = {
  controlId: string;
  /** Own controls carry their title; Annex A controls take the catalogue's (null here). */
  title: string | null;
  applicable: boolean;
  justification: SoaJustification;
  /** Actor id of the person answerable for the control; required when it applies. */
  owner: string | null;
  /** How the control is implemented; required when it applies. */
  implementation: string | null;
};

export type SoaRevisionStatus = 'under_review' | 'awaiting_approval' | 'approved' | 'rejected';

export type SoaRevision = {
  revisionId: string;
  summary: string;
  entries: SoaEntry[];
  /** Requests for a revision this one answers (their tasks close when it is proposed). */
  answersRequestIds: string[];
  proposedBy: ActorRef;
  proposedAt: string;
  status: SoaRevisionStatus;
  reviewTaskId: string;
  approvalTaskId: string | null;
  reviewedBy: ActorRef | null;
  reviewedAt: string | null;
  decidedBy: ActorRef | null;
  decidedAt: string | null;
  reasons: string[];
  /** The version its approval made. */
  version: number | null;
};

/** What asks for a revision: a risk treatment that added or dropped controls, or a person. */
export type SoaRevisionCause =
  | { kind: 'risk_treatment'; riskId: string; controlsAdded: string[]; controlsDropped: string[] }
  | { kind: 'other'; riskId: null; controlsAdded: string[]; controlsDropped: string[] };

export type SoaRevisionRequest = {
  requestId: string;
  taskId: string;
  reason: string;
  cause: SoaRevisionCause;
  requestedBy: ActorRef;
  requestedAt: string;
  status: 'open' | 'answered' | 'dismissed';
  answeredByRevisionId: string | null;
};

export const ATTESTED_STATUSES = ['operates', 'does_not_operate'] as const;
export type AttestedStatus = (typeof ATTESTED_STATUSES)[number];

/** A person's word on a control no rule over the evidence can judge, until its review date. */
export type ControlAttestation = {
  controlId: string;
  status: AttestedStatus;
  evidenceRefs: string[];
  note: string;
  /** The date (YYYY-MM-DD) by which it must be attested again; after it, the attestation has lapsed. */
  reviewBy: string;
  attestedBy: ActorRef;
  attestedAt: string;
};

export type SoaInForce = { revisionId: string; version: number; approvedAt: string; approvedBy: ActorRef; entries: SoaEntry[] };

export type SoaState = {
  version: number;
  inForce: SoaInForce | null;
  revisions: SoaRevision[];
  requests: SoaRevisionRequest[];
  /** The latest attestation per control. */
  attestations: Record<string, ControlAttestation>;
  tasks: HumanTask<SoaTaskKind>[];
};

export const INITIAL_SOA_STATE: SoaState = { version: 0, inForce: null, revisions: [], requests: [], attestations: {}, tasks: [] };

// ---------- commands ----------

export type SoaEntryInput = {
  controlId: string;
  title?: string | null;
  applicable: boolean;
  justification: { text: string; riskIds?: string[]; obligations?: string[]; scope?: string | null };
  owner?: string | null;
  implementation?: string | null;
};

export type ProposeSoaRevision = {
  type: 'ProposeSoaRevision';
  revisionId: string;
  reviewTaskId: string;
  summary: string;
  entries: SoaEntryInput[];
  answersRequestIds?: string[];
  by: Actor;
  at: string;
};

export type ReviewSoaRevision = {
  type: 'ReviewSoaRevision';
  taskId: string;
  /** approved: goes to top management (its approval task id below); rejected: the revision ends. */
  outcome: HumanTaskOutcome;
  reasons: string[];
  approvalTaskId: string;
  by: Actor;
  at: string;
};

export type ApproveSoaRevision = {
  type: 'ApproveSoaRevision';
  taskId: string;
  outcome: HumanTaskOutcome;
  reasons: string[];
  by: Actor;
  at: string;
};

export type RequestSoaRevision = {
  type: 'RequestSoaRevision';
  requestId: string;
  taskId: string;
  reason: string;
  cause: SoaRevisionCause;
  by: Actor;
  at: string;
};

/** Closes a request without a revision (the AIMS owner judged none is needed), with reasons. */
export type DismissSoaRevisionRequest = {
  type: 'DismissSoaRevisionRequest';
  taskId: string;
  reasons: string[];
  by: Actor;
  at: string;
};

export type AttestControlStatus = {
  type: 'AttestControlStatus';
  controlId: string;
  status: AttestedStatus;
  evidenceRefs: string[];
  note: string;
  reviewBy: string;
  by: Actor;
  at: string;
};

export type SoaCommand =
  ProposeSoaRevision | ReviewSoaRevision | ApproveSoaRevision | RequestSoaRevision | DismissSoaRevisionRequest | AttestControlStatus;

// ---------- events ----------

type Base = { by: ActorRef; at: string };
export type SoaRevisionProposed = Base & {
  type: 'SoaRevisionProposed';
  revisionId: string;
  summary: string;
  entries: SoaEntry[];
  answersRequestIds: string[];
};
export type SoaTaskOpened = Base & {
  type: 'HumanTaskOpened';
  taskId: string;
  kind: SoaTaskKind;
  requiredRoles: AimsRole[];
  subject: { type: 'soa_revision'; revisionId: string } | { type: 'soa_revision_request'; requestId: string };
  requestedBy: string;
  dueAt: string;
};
export type SoaTaskDecided = Base & {
  type: 'HumanTaskDecided';
  taskId: string;
  kind: SoaTaskKind;
  outcome: HumanTaskOutcome;
  reasons: string[];
};
export type SoaTaskSuperseded = Base & { type: 'HumanTaskSuperseded'; taskId: string; reason: string };
export type SoaRevisionReviewed = Base & { type: 'SoaRevisionReviewed'; revisionId: string };
export type SoaRevisionApproved = Base & { type: 'SoaRevisionApproved'; revisionId: string; version: number };
export type SoaRevisionRejected = Base & {
  type: 'SoaRevisionRejected';
  revisionId: string;
  stage: 'review' | 'approval';
  reasons: string[];
};
export type SoaRevisionRequested = Base & { type: 'SoaRevisionRequested'; requestId: string; reason: string; cause: SoaRevisionCause };
export type SoaRevisionRequestAnswered = Base & { type: 'SoaRevisionRequestAnswered'; requestId: string; revisionId: string };
export type SoaRevisionRequestDismissed = Base & { type: 'SoaRevisionRequestDismissed'; requestId: string; reasons: string[] };
export type ControlStatusAttested = Base & {
  type: 'ControlStatusAttested';
  controlId: string;
  status: AttestedStatus;
  evidenceRefs: string[];
  note: string;
  reviewBy: string;
};

export type SoaEvent =
  | SoaRevisionProposed
  | SoaTaskOpened
  | SoaTaskDecided
  | SoaTaskSuperseded
  | SoaRevisionReviewed
  | SoaRevisionApproved
  | SoaRevisionRejected
  | SoaRevisionRequested
  | SoaRevisionRequestAnswered
  | SoaRevisionRequestDismissed
  | ControlStatusAttested;

export type SoaEventType = SoaEvent['type'];
