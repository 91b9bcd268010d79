/**
 * One AI risk through assessment, treatment and acceptance (ISO/IEC 42001 6.1.2, 6.1.3, 8.2, 8.3), stream
 * and workflow `risk-<id>` (domain/shared/risk-links.ts). A risk belongs to one AI system or to the AIMS as
 * a whole. identified → assessed → reviewed (by a risk owner who is not the assessor) → treatment planned →
 * plan approved (not by the planner) → actions done with evidence → residual level → accepted by the role
 * the appetite names (the AIMS owner above appetite) → monitored → reassessment due (interval run out, or
 * requested by its system's lifecycle) → assessed again. Each level is computed from the criteria version
 * the risk was scored with, which the assessment records. Pure: every command carries its instant.
 */
import type { AiPolicyVersionRef } from '../shared/policy-in-force';
import { type RiskCriteriaSnapshot, type RiskScore } from '../risk-criteria/criteria';
import { type HumanTask, type HumanTaskOutcome } from '../shared/human-task';
import type { JsonObject } from '../shared/json';
import type { RiskReassessmentCause } from '../shared/risk-links';
import { type Actor, type ActorRef, type AimsRole } from '../shared/roles';

export const RISK_CATEGORY = 'risk';
export const RISK_SYSTEM_ACTOR: ActorRef = { id: 'aims:risk', role: 'system' };
export const RISK_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** Annex C.3 risk sources; an organisation names its own as `{ kind: 'organisation', name }`. */
export const ANNEX_C_RISK_SOURCES = [
  'complexity-of-environment',
  'lack-of-transparency-and-explainability',
  'level-of-automation',
  'machine-learning',
  'system-hardware',
  'system-life-cycle',
  'technology-readiness',
] as const;
export type RiskSource = { kind: 'annex-c'; id: (typeof ANNEX_C_RISK_SOURCES)[number] } | { kind: 'organisation'; name: string };
export const TREATMENT_OPTIONS = ['modify', 'avoid', 'share', 'retain'] as const;
export type TreatmentOption = (typeof TREATMENT_OPTIONS)[number];

export const IDENTIFY_ROLES: readonly AimsRole[] = ['risk_owner', 'aims_owner', 'engineer'];
export const ASSESS_ROLES: readonly AimsRole[] = ['risk_owner', 'aims_owner', 'engineer'];
export const REVIEW_ROLES: readonly AimsRole[] = ['risk_owner'];
export const PLAN_ROLES: readonly AimsRole[] = ['risk_owner', 'aims_owner'];
export const PLAN_APPROVAL_ROLES: readonly AimsRole[] = ['risk_owner', 'aims_owner'];
export const DECISION_TIME_MS = 7 * 24 * 3_600_000;

export type RiskTaskKind = 'risk_assessment_review' | 'risk_treatment_plan_approval' | 'risk_acceptance';
export const RISK_STATUSES = [
  'identified',
  'assessed',
  'reviewed',
  'treatment_planned',
  'treatment_in_progress',
  'treated',
  'residual_assessed',
  'monitored',
  'reassessment_due',
] as const;
export type RiskStatus = (typeof RISK_STATUSES)[number];

export interface Score {
  likelihood: string;
  consequence: string;
}
export interface TreatmentAction {
  actionId: string;
  description: string;
  owner: string;
  dueDate: string;
}
type WithBy = { by: Actor; at: string };

export type RiskCommand =
  | (WithBy & { type: 'IdentifyRisk'; riskId: string; systemId: string | null; source: RiskSource; description: string; owner: string })
  | (WithBy & { type: 'AssessRisk'; inherent: Score; rationale: string; criteria: RiskCriteriaSnapshot })
  | (WithBy & { type: 'DecideRiskTask'; taskId: string; outcome: HumanTaskOutcome; reasons: string[] })
  | (WithBy & {
      type: 'PlanRiskTreatment';
      option: TreatmentOption;
      annexAControlIds: string[];
      ownControls: string[];
      actions: TreatmentAction[];
    })
  | (WithBy & { type: 'CompleteTreatmentAction'; actionId: string; evidenceRefs: string[]; note: string | null })
  | (WithBy & { type: 'RecordResidualRisk'; residual: Score; rationale: string })
  | { type: 'RemindTreatmentAction'; actionId: string; at: string }
  | { type: 'MarkTreatmentActionOverdue'; actionId: string; at: string }
  | { type: 'EscalateTreatmentAction'; actionId: string; at: string }
  | { type: 'MarkReassessmentDue'; at: string }
  | { type: 'RequestRiskReassessment'; cause: { eventId: string; type: RiskReassessmentCause; summary: string }; at: string }
  /** The AI policy in force when the residual risk's acceptance was decided (5.2), as the workflow's activity read it. */
  | {
      type: 'NoteAiPolicyAtAcceptance';
      decisionEventId: string;
      decidedAt: string;
      policies: AiPolicyVersionRef[];
      source: string;
      at: string;
    };

type E<T extends string, D> = { type: T; riskId: string; at: string } & D;
export type Scored = Score & RiskScore;
export type RiskEvent =
  | E<'RiskIdentified', { by: ActorRef; systemId: string | null; source: RiskSource; description: string; owner: string }>
  | E<'RiskAssessed', { by: ActorRef; assessment: number; inherent: Scored; rationale: string; criteria: RiskCriteriaSnapshot }>
  | E<
      'HumanTaskOpened',
      {
        by: ActorRef;
        taskId: string;
        kind: RiskTaskKind;
        requiredRoles: AimsRole[];
        subject: JsonObject;
        requestedBy: string;
        dueAt: string;
      }
    >
  | E<'HumanTaskDecided', { by: ActorRef; taskId: string; kind: RiskTaskKind; outcome: HumanTaskOutcome; reasons: string[] }>
  | E<'HumanTaskSuperseded', { taskId: string; reason: string }>
  | E<'RiskAssessmentReviewed', { by: ActorRef; assessment: number; outcome: 'approved' | 'changes_requested'; reasons: string[] }>
  | E<
      'RiskTreatmentPlanned',
      {
        by: ActorRef;
        assessment: number;
        option: TreatmentOption;
        annexAControlIds: string[];
        ownControls: string[];
        actions: TreatmentAction[];
      }
    >
  | E<'RiskTreatmentPlanDecided', { by: ActorRef; assessment: number; outcome: 'approved' | 'rejected'; reasons: string[] }>
  | E<'TreatmentActionCompleted', { by: ActorRef; actionId: string; evidenceRefs: string[]; note: string | null }>
  | E<'TreatmentActionReminderIssued', { actionId: string; dueDate: string }>
  | E<'TreatmentActionOverdue', { actionId: string; dueDate: string }>
  | E<'TreatmentActionEscalated', { actionId: string; escalatedTo: AimsRole }>
  | E<'ResidualRiskAssessed', { by: ActorRef; assessment: number; residual: Scored; rationale: string }>
  | E<
      'RiskAcceptanceDecided',
      {
        by: ActorRef;
        assessment: number;
        outcome: 'approved' | 'rejected';
        level: string;
        reasons: string[];
        reassessmentDueAt: string | null;
      }
    >
  | E<
      'AiPolicyAtAcceptanceNoted',
      {
        assessment: number;
        outcome: 'approved' | 'rejected';
        decisionEventId: string;
        decidedAt: string;
        policies: AiPolicyVersionRef[];
        source: string;
      }
    >
  | E<
      'RiskReassessmentDue',
      { cause: { kind: 'interval'; dueAt: string } | { kind: 'lifecycle'; eventId: string; type: RiskReassessmentCause; summary: string } }
    >;
export type RiskEventType = RiskEvent['type'];

export interface ActionState extends TreatmentAction {
  completedAt: string | null;
  evidenceRefs: string[];
  remindedAt: string | null;
  overdueSince: string | null;
  escalatedAt: string | null;
}
export interface Risk {
  riskId: string;
  systemId: string | null;
  source: RiskSource;
  description: string;
  owner: string;
  status: RiskStatus;
  assessment: number;
  assessedBy: ActorRef | null;
  criteria: RiskCriteriaSnapshot | null;
  inherent: Scored | null;
  plan: { option: TreatmentOption; annexAControlIds: string[]; ownControls: string[]; plannedBy: ActorRef; approved: boolean } | null;
  actions: ActionState[];
  residual: Scored | null;
  residualBy: ActorRef | null;
  /** The assessment whose residual level was accepted, and when the next reassessment falls due. */
  acceptedAssessment: number | null;
  acceptedLevel: string | null;
  reassessmentDueAt: string | null;
  tasks: HumanTask<RiskTaskKind, JsonObject>[];
  /** The AI policy in force at the latest acceptance decision (absent before one is noted; earlier runs never note it). */
  acceptancePolicy?: AiPolicyAtAcceptance;
}

/** The AI policy versions in force when an acceptance was decided; `policies` empty: none was in force. */
export type AiPolicyAtAcceptance = {
  assessment: number;
  outcome: 'approved' | 'rejected';
  decisionEventId: string;
  decidedAt: string;
  policies: AiPolicyVersionRef[];
  source: string;
  notedAt: string;
};
export type RiskState = Risk | null;

export function eventData(event: RiskEvent): JsonObject {
  const { type: _type, ...data } = event;
  return data as unknown as JsonObject;
}
export function eventActor(event: RiskEvent): ActorRef | null {
  return 'by' in event ? event.by : null;
}

/**
 * What each event is evidence for: assessment (6.1.2, 8.2), treatment (6.1.3, 8.3, A.6.1.3 where the plan
 * names controls), authority and segregation of duties (5.3, A.3.2), the process watched over time (9.1).
 */
export const RISK_ISO_42001_REFERENCES: Record<RiskEventType, string[]> = {
  RiskIdentified: ['6.1.2', '8.2'],
  RiskAssessed: ['6.1.2', '8.2'],
  HumanTaskOpened: ['5.3', 'A.3.2'],
  HumanTaskDecided: ['5.3', 'A.3.2'],
  HumanTaskSuperseded: ['5.3'],
  RiskAssessmentReviewed: ['6.1.2', '8.2', '5.3', 'A.3.2'],
  RiskTreatmentPlanned: ['6.1.3', '8.3'],
  RiskTreatmentPlanDecided: ['6.1.3', '8.3', '5.3', 'A.3.2'],
  TreatmentActionCompleted: ['6.1.3', '8.3'],
  TreatmentActionReminderIssued: ['8.3', '9.1'],
  TreatmentActionOverdue: ['8.3', '9.1'],
  TreatmentActionEscalated: ['8.3', '9.1', '5.3'],
  ResidualRiskAssessed: ['6.1.3', '8.3'],
  RiskAcceptanceDecided: ['6.1.3', '8.3', '5.3', 'A.3.2'],
  AiPolicyAtAcceptanceNoted: ['5.2', 'A.2.2', '6.1.3'],
  RiskReassessmentDue: ['6.1.2', '8.2', '9.1'],
};
export function eventReferences(event: RiskEvent): readonly string[] {
  return RISK_ISO_42001_REFERENCES[event.type];
}
