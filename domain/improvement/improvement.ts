/**
 * The improvement register (ISO/IEC 42001 10.1, continual improvement): each opportunity for improvement,
 * from an internal audit (every finding of type opportunity for improvement), a management review, an
 * incident or lessons learned, with its owner, the decision taken on it and its outcome. One process per
 * opportunity, id and stream `improvement-<id>`:
 *
 *   proposed → accepted → implemented,  or  proposed → rejected
 *
 * The AIMS owner or top management decides (accept with a rationale, or reject with one); the owner, or the
 * AIMS owner, records the outcome with evidence refs. Commands, events and state are plain JSON.
 */
import { requireRoles } from '../shared/require-roles';
import { domainError, type DomainError } from '../shared/domain-error';
import type { JsonObject } from '../shared/json';
import { err, ok, type Result } from '../shared/result';
import { actorProblem, type Actor, type ActorRef, type AimsRole } from '../shared/roles';
import { validationFailed, type ValidationIssue } from '../shared/validation';

export const IMPROVEMENT_CATEGORY = 'improvement';
export const improvementWorkflowId = (id: string): string => `${IMPROVEMENT_CATEGORY}-${id}`;
export const improvementStream = improvementWorkflowId;
export const IMPROVEMENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export const IMPROVEMENT_SOURCES = ['internal_audit', 'management_review', 'incident', 'lessons_learned', 'other'] as const;
export type ImprovementSourceKind = (typeof IMPROVEMENT_SOURCES)[number];
export type ImprovementSource = { kind: ImprovementSourceKind; reference: string | null };

/** Who may propose one directly (an internal audit's OFI is proposed by the audit, as its auditor). */
export const IMPROVEMENT_PROPOSER_ROLES: readonly AimsRole[] = [
  'aims_owner',
  'top_management',
  'risk_owner',
  'approver',
  'validator',
  'engineer',
];
export const IMPROVEMENT_DECIDER_ROLES: readonly AimsRole[] = ['aims_owner', 'top_management'];
/** Besides the owner named on it, who may record the outcome. */
export const IMPROVEMENT_OUTCOME_ROLES: readonly AimsRole[] = ['aims_owner'];

export type ImprovementStatus = 'proposed' | 'accepted' | 'rejected' | 'implemented';

export type Improvement = {
  improvementId: string;
  status: ImprovementStatus;
  source: ImprovementSource;
  description: string;
  owner: string;
  proposedBy: ActorRef;
  proposedAt: string;
  decision: { outcome: 'accepted' | 'rejected'; rationale: string; by: ActorRef; at: string } | null;
  outcome: { text: string; evidenceRefs: string[]; by: ActorRef; at: string } | null;
};
export type ImprovementState = Improvement | null;

export type ImprovementCommand =
  | {
      type: 'ProposeImprovement';
      improvementId: string;
      source: ImprovementSource;
      description: string;
      owner: string;
      /** A person proposing; or `openedBy` when another process (an internal audit) proposes it. */
      by?: Actor;
      openedBy?: ActorRef;
      at: string;
    }
  | { type: 'DecideImprovement'; outcome: 'accepted' | 'rejected'; rationale: string; by: Actor; at: string }
  | { type: 'RecordImprovementOutcome'; text: string; evidenceRefs: string[]; by: Actor; at: string };

export type ImprovementEvent =
  | {
      type: 'ImprovementProposed';
      improvementId: string;
      source: ImprovementSource;
      description: string;
      owner: string;
      by: ActorRef;
      at: string;
    }
  | { type: 'ImprovementDecided'; outcome: 'accepted' | 'rejected'; rationale: string; by: ActorRef; at: string }
  | { type: 'ImprovementOutcomeRecorded'; text: string; evidenceRefs: string[]; by: ActorRef; at: string };
export type ImprovementEventType = ImprovementEvent['type'];

const isText = (v: unknown, max = 10_000): v is string => typeof v === 'string' && v.trim() !== '' && v.length <= max;

/** The shared role check, naming the step in its refusals as the lifecycle's do. */
function roleOf(by: Actor | undefined, roles: readonly AimsRole[], step: string): Result<ActorRef, DomainError> {
  return requireRoles(by, roles, step, step);
}

function wrongStatus(s: Improvement, allowed: ImprovementStatus[], step: string): DomainError | null {
  return allowed.includes(s.status)
    ? null
    : domainError('INVALID_TRANSITION', `Cannot ${step}: the improvement is ${s.status}.`, { step, status: s.status, allowedIn: allowed });
}

export function decideImprovement(c: ImprovementCommand, s: ImprovementState): Result<ImprovementEvent[], DomainError> {
  if (c.type === 'ProposeImprovement') {
    if (s !== null) return err(domainError('IMPROVEMENT_ALREADY_PROPOSED', `Improvement ${s.improvementId} exists already.`, {}));
    const who: Result<ActorRef, DomainError> =
      c.by === undefined && c.openedBy !== undefined ? ok(c.openedBy) : roleOf(c.by, IMPROVEMENT_PROPOSER_ROLES, 'propose an improvement');
    if (!who.ok) return who;
    const issues: ValidationIssue[] = [];
    if (typeof c.improvementId !== 'string' || !IMPROVEMENT_ID.test(c.improvementId))
      issues.push({ field: 'improvementId', problem: 'must be 1–128 letters, digits, ".", "_" or "-"' });
    if (!(IMPROVEMENT_SOURCES as readonly string[]).includes(c.source?.kind))
      issues.push({ field: 'source.kind', problem: `must be one of ${IMPROVEMENT_SOURCES.join(', ')}` });
    if (c.source?.reference !== null && !isText(c.source?.reference, 500))
      issues.push({ field: 'source.reference', problem: 'must be null or a non-empty string' });
    if (!isText(c.description)) issues.push({ field: 'description', problem: 'must be a non-empty string' });
    if (!isText(c.owner, 200)) issues.push({ field: 'owner', problem: "must be the owner's id" });
    if (issues.length > 0) return err(validationFailed('ProposeImprovement', issues));
    return ok([
      {
        type: 'ImprovementProposed',
        improvementId: c.improvementId,
        source: c.source,
        description: c.description,
        owner: c.owner,
        by: who.value,
        at: c.at,
      },
    ]);
  }
  if (s === null) return err(domainError('IMPROVEMENT_NOT_PROPOSED', 'The improvement is not proposed.', {}));
  if (c.type === 'DecideImprovement') {
    const who = roleOf(c.by, IMPROVEMENT_DECIDER_ROLES, 'decide an improvement');
    if (!who.ok) return who;
    const wrong = wrongStatus(s, ['proposed'], 'decide it');
    if (wrong) return err(wrong);
    if (c.outcome !== 'accepted' && c.outcome !== 'rejected')
      return err(validationFailed('DecideImprovement', [{ field: 'outcome', problem: 'must be accepted or rejected' }]));
    if (!isText(c.rationale))
      return err(validationFailed('DecideImprovement', [{ field: 'rationale', problem: 'must be a non-empty string' }]));
    return ok([{ type: 'ImprovementDecided', outcome: c.outcome, rationale: c.rationale, by: who.value, at: c.at }]);
  }
  // The owner named on it, or the AIMS owner.
  const problem = actorProblem(c.by);
  if (problem !== null) return err(domainError('INVALID_ACTOR', problem, {}));
  const role = c.by.id === s.owner ? c.by.roles[0] : IMPROVEMENT_OUTCOME_ROLES.find((r) => c.by.roles.includes(r));
  if (role === undefined)
    return err(
      domainError('NOT_IMPROVEMENT_OWNER', `${c.by.id} cannot record the outcome: only its owner ${s.owner} or the AIMS owner can.`, {
        actorId: c.by.id,
        owner: s.owner,
      }),
    );
  const wrong = wrongStatus(s, ['accepted'], 'record its outcome');
  if (wrong) return err(wrong);
  if (!isText(c.text)) return err(validationFailed('RecordImprovementOutcome', [{ field: 'text', problem: 'must be a non-empty string' }]));
  if (!Array.isArray(c.evidenceRefs) || !c.evidenceRefs.every((r) => isText(r, 500)))
    return err(validationFailed('RecordImprovementOutcome', [{ field: 'evidenceRefs', problem: 'must be a list of references' }]));
  return ok([{ type: 'ImprovementOutcomeRecorded', text: c.text, evidenceRefs: c.evidenceRefs, by: { id: c.by.id, role }, at: c.at }]);
}

export function evolveImprovement(s: ImprovementState, e: ImprovementEvent): ImprovementState {
  switch (e.type) {
    case 'ImprovementProposed':
      return {
        improvementId: e.improvementId,
        status: 'proposed',
        source: e.source,
        description: e.description,
        owner: e.owner,
        proposedBy: e.by,
        proposedAt: e.at,
        decision: null,
        outcome: null,
      };
    case 'ImprovementDecided':
      return s === null ? s : { ...s, status: e.outcome, decision: { outcome: e.outcome, rationale: e.rationale, by: e.by, at: e.at } };
    case 'ImprovementOutcomeRecorded':
      return s === null ? s : { ...s, status: 'implemented', outcome: { text: e.text, evidenceRefs: e.evidenceRefs, by: e.by, at: e.at } };
  }
}

export const improvementEventData = (e: ImprovementEvent): JsonObject => {
  const { type: _t, ...data } = e;
  return data;
};
export const improvementEventActor = (e: ImprovementEvent): ActorRef => e.by;

/** Continual improvement (10.1); the decision is top management's direction of it (5.1 g). */
export const IMPROVEMENT_ISO_42001_REFERENCES: Record<ImprovementEventType, string[]> = {
  ImprovementProposed: ['10.1'],
  ImprovementDecided: ['10.1', '5.1'],
  ImprovementOutcomeRecorded: ['10.1'],
};
export const improvementEventReferences = (e: ImprovementEvent): readonly string[] => IMPROVEMENT_ISO_42001_REFERENCES[e.type];

export const isFinished = (s: ImprovementState): boolean => s !== null && (s.status === 'implemented' || s.status === 'rejected');
