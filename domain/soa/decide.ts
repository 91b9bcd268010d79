/**
 * Every rule of the SoA process: what a revision must contain, who may propose, review and approve it
 * (never its proposer), who may ask for a revision and who may attest a control's status.
 */
import { ANNEX_A_CONTROL_IDS, isAnnexAControlId } from '../catalogue/annex-a-controls';
import { sameIdentity } from '../shared/actor-identity';
import { domainError, type DomainError } from '../shared/domain-error';
import { checkHumanTaskDecision } from '../shared/human-task';
import { addMilliseconds, isDueDate } from '../shared/iso-time';
import type { JsonObject } from '../shared/json';
import { err, ok, type Result } from '../shared/result';
import { actingAs, actorProblem, type Actor } from '../shared/roles';
import { ValidationIssues, validationFailed } from '../shared/validation';
import { isRuledControl } from './control-rules';
import {
  ATTESTED_STATUSES,
  OWN_CONTROL_ID,
  OWN_CONTROL_ID_RULE,
  SOA_APPROVER_ROLES,
  SOA_ATTESTER_ROLES,
  SOA_PROPOSER_ROLES,
  SOA_REQUEST_ROLES,
  SOA_REVIEWER_ROLES,
  SOA_TASK_TIME_MS,
  type ApproveSoaRevision,
  type AttestControlStatus,
  type DismissSoaRevisionRequest,
  type ProposeSoaRevision,
  type RequestSoaRevision,
  type ReviewSoaRevision,
  type SoaCommand,
  type SoaEntry,
  type SoaEntryInput,
  type SoaEvent,
  type SoaRevision,
  type SoaState,
} from './model';
import { requireRoles } from '../shared/require-roles';

export type SoaError = DomainError;

/** Bounds that keep one revision a reasonable piece of evidence. */
const MAX_OWN_CONTROLS = 200;
const MAX_LINKS = 50;
const ID_TEXT = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const refuse = (code: string, message: string, details: JsonObject = {}): Result<never, SoaError> =>
  err(domainError(code, message, details));

const authority = requireRoles;

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

function checkLinks(v: ValidationIssues, field: string, value: unknown, idLike: boolean): void {
  if (value === undefined) return;
  if (!strings(value)) {
    v.add(field, 'must be a list of strings');
    return;
  }
  if (value.length > MAX_LINKS) v.add(field, `must name at most ${MAX_LINKS}`);
  else if (value.some((x) => (idLike ? !ID_TEXT.test(x) : x.trim() === '' || x.length > 500)))
    v.add(
      field,
      idLike ? 'each must be an id: letters, digits, ".", "_", ":" or "-"' : 'each must be non-empty text of at most 500 characters',
    );
  else v.distinct(field, value);
}

/** The entries as recorded: every Annex A control exactly once, own controls with titles, owners where they apply. */
function checkEntries(entries: unknown, v: ValidationIssues): SoaEntry[] {
  if (!Array.isArray(entries)) {
    v.add('entries', 'must be a list of controls');
    return [];
  }
  const seen = new Set<string>();
  const out: SoaEntry[] = [];
  let own = 0;
  entries.forEach((raw: unknown, i) => {
    const f = `entries[${i}]`;
    if (typeof raw !== 'object' || raw === null) {
      v.add(f, 'must be an object');
      return;
    }
    const e = raw as Partial<SoaEntryInput>;
    const id = e.controlId;
    if (typeof id !== 'string' || (!isAnnexAControlId(id) && !OWN_CONTROL_ID.test(id))) {
      v.add(`${f}.controlId`, `must be an Annex A control id (A.2.2 … A.10.4) or ${OWN_CONTROL_ID_RULE}`);
      return;
    }
    if (seen.has(id)) v.add(`${f}.controlId`, `names ${id} a second time`);
    seen.add(id);
    const annexA = isAnnexAControlId(id);
    if (!annexA) own += 1;
    if (annexA && e.title !== undefined && e.title !== null) v.add(`${f}.title`, 'an Annex A control takes its title from the catalogue');
    if (!annexA && (typeof e.title !== 'string' || e.title.trim() === '' || e.title.length > 200))
      v.add(`${f}.title`, 'an own control needs a title of 1–200 characters');
    v.boolean(`${f}.applicable`, e.applicable);
    const j = e.justification;
    if (typeof j !== 'object' || j === null) v.add(`${f}.justification`, 'must say why the control is included or excluded');
    else {
      if (typeof j.text !== 'string' || j.text.trim() === '' || j.text.length > 4000)
        v.add(`${f}.justification.text`, 'must be non-empty text of at most 4000 characters');
      checkLinks(v, `${f}.justification.riskIds`, j.riskIds, true);
      checkLinks(v, `${f}.justification.obligations`, j.obligations, false);
      v.optionalText(`${f}.justification.scope`, j.scope);
    }
    if (e.applicable === true) {
      if (typeof e.owner !== 'string' || e.owner.trim() === '') v.add(`${f}.owner`, 'an applicable control needs an owner');
      if (typeof e.implementation !== 'string' || e.implementation.trim() === '')
        v.add(`${f}.implementation`, 'an applicable control needs to say how it is implemented');
    } else {
      v.optionalText(`${f}.owner`, e.owner);
      v.optionalText(`${f}.implementation`, e.implementation);
    }
    out.push({
      controlId: id,
      title: annexA ? null : typeof e.title === 'string' ? e.title.trim() : null,
      applicable: e.applicable === true,
      justification: {
        text: typeof j?.text === 'string' ? j.text : '',
        riskIds: strings(j?.riskIds) ? [...j.riskIds] : [],
        obligations: strings(j?.obligations) ? [...j.obligations] : [],
        scope: typeof j?.scope === 'string' && j.scope.trim() !== '' ? j.scope : null,
      },
      owner: typeof e.owner === 'string' && e.owner.trim() !== '' ? e.owner : null,
      implementation: typeof e.implementation === 'string' && e.implementation.trim() !== '' ? e.implementation : null,
    });
  });
  if (own > MAX_OWN_CONTROLS) v.add('entries', `at most ${MAX_OWN_CONTROLS} own controls`);
  const missing = ANNEX_A_CONTROL_IDS.filter((id) => !seen.has(id));
  // 6.1.3: every Annex A control is decided on, included or excluded with a reason.
  if (missing.length > 0) v.add('entries', `must decide on every Annex A control; missing: ${missing.join(', ')}`);
  return out;
}

function propose(c: ProposeSoaRevision, s: SoaState): Result<SoaEvent[], SoaError> {
  const v = new ValidationIssues();
  v.text('revisionId', c.revisionId);
  v.text('reviewTaskId', c.reviewTaskId);
  if (v.text('summary', c.summary) && c.summary.length > 4000) v.add('summary', 'must be at most 4000 characters');
  const entries = checkEntries(c.entries, v);
  checkLinks(v, 'answersRequestIds', c.answersRequestIds, true);
  if (!v.empty) return err(validationFailed(c.type, v.list));
  const by = authority(c.by, SOA_PROPOSER_ROLES, 'propose a revision of the Statement of Applicability');
  if (!by.ok) return by;
  if (s.revisions.some((r) => r.revisionId === c.revisionId))
    return refuse('DUPLICATE_ID', `A revision ${c.revisionId} already exists.`, { id: c.revisionId });
  if (s.tasks.some((t) => t.taskId === c.reviewTaskId))
    return refuse('DUPLICATE_ID', `A task ${c.reviewTaskId} already exists.`, { id: c.reviewTaskId });
  const pending = s.revisions.find((r) => r.status === 'under_review' || r.status === 'awaiting_approval');
  if (pending) {
    return refuse(
      'SOA_REVISION_PENDING',
      `Revision ${pending.revisionId} awaits its ${pending.status === 'under_review' ? 'review' : 'approval'}; decide it first.`,
      {
        revisionId: pending.revisionId,
      },
    );
  }
  const answers = c.answersRequestIds ?? [];
  for (const requestId of answers) {
    const r = s.requests.find((x) => x.requestId === requestId);
    if (!r) return refuse('SOA_REVISION_REQUEST_UNKNOWN', `There is no revision request ${requestId}.`, { requestId });
    if (r.status !== 'open')
      return refuse('SOA_REVISION_REQUEST_CLOSED', `Revision request ${requestId} is already ${r.status}.`, { requestId });
  }
  const events: SoaEvent[] = [
    {
      type: 'SoaRevisionProposed',
      revisionId: c.revisionId,
      summary: c.summary,
      entries,
      answersRequestIds: [...answers],
      by: by.value,
      at: c.at,
    },
    {
      type: 'HumanTaskOpened',
      taskId: c.reviewTaskId,
      kind: 'soa_revision_review',
      requiredRoles: [...SOA_REVIEWER_ROLES],
      subject: { type: 'soa_revision', revisionId: c.revisionId },
      requestedBy: c.by.id,
      dueAt: addMilliseconds(c.at, SOA_TASK_TIME_MS),
      by: by.value,
      at: c.at,
    },
  ];
  for (const requestId of answers) {
    const r = s.requests.find((x) => x.requestId === requestId);
    events.push({ type: 'SoaRevisionRequestAnswered', requestId, revisionId: c.revisionId, by: by.value, at: c.at });
    if (r)
      events.push({
        type: 'HumanTaskSuperseded',
        taskId: r.taskId,
        reason: `answered by revision ${c.revisionId}`,
        by: by.value,
        at: c.at,
      });
  }
  return ok(events);
}

/** Nobody reviews or approves a revision they proposed (6.1.3; A.3.2), whatever the spelling of their name. */
function notProposer(r: SoaRevision, by: Actor, act: string): Result<true, SoaError> {
  if (sameIdentity(r.proposedBy.id, by.id)) {
    return refuse('SEGREGATION_OF_DUTIES', `${by.id} proposed revision ${r.revisionId}; someone else must ${act} it.`, {
      actorId: by.id,
      conflict: 'proposed the revision',
    });
  }
  return ok(true);
}

function review(c: ReviewSoaRevision, s: SoaState): Result<SoaEvent[], SoaError> {
  const task = s.tasks.find((t) => t.taskId === c.taskId && t.kind === 'soa_revision_review');
  const checked = checkHumanTaskDecision(task, { taskId: c.taskId, outcome: c.outcome, reasons: c.reasons ?? [], by: c.by }, [
    'approved',
    'rejected',
  ]);
  if (!checked.ok) return checked;
  const r = s.revisions.find((x) => x.reviewTaskId === c.taskId);
  if (r?.status !== 'under_review') return refuse('HUMAN_TASK_CLOSED', `Task ${c.taskId} has no revision awaiting review.`);
  const sod = notProposer(r, c.by, 'review');
  if (!sod.ok) return sod;
  const by = checked.value;
  const reasons = (c.reasons ?? []).filter((x) => typeof x === 'string' && x.trim() !== '');
  const decided: SoaEvent = {
    type: 'HumanTaskDecided',
    taskId: c.taskId,
    kind: 'soa_revision_review',
    outcome: c.outcome,
    reasons,
    by,
    at: c.at,
  };
  if (c.outcome !== 'approved')
    return ok([decided, { type: 'SoaRevisionRejected', revisionId: r.revisionId, stage: 'review', reasons, by, at: c.at }]);
  if (typeof c.approvalTaskId !== 'string' || c.approvalTaskId.trim() === '')
    return err(validationFailed(c.type, [{ field: 'approvalTaskId', problem: 'must be a non-empty string' }]));
  return ok([
    decided,
    { type: 'SoaRevisionReviewed', revisionId: r.revisionId, by, at: c.at },
    {
      type: 'HumanTaskOpened',
      taskId: c.approvalTaskId,
      kind: 'soa_revision_approval',
      requiredRoles: [...SOA_APPROVER_ROLES],
      subject: { type: 'soa_revision', revisionId: r.revisionId },
      requestedBy: r.proposedBy.id,
      dueAt: addMilliseconds(c.at, SOA_TASK_TIME_MS),
      by,
      at: c.at,
    },
  ]);
}

function approve(c: ApproveSoaRevision, s: SoaState): Result<SoaEvent[], SoaError> {
  const task = s.tasks.find((t) => t.taskId === c.taskId && t.kind === 'soa_revision_approval');
  const checked = checkHumanTaskDecision(task, { taskId: c.taskId, outcome: c.outcome, reasons: c.reasons ?? [], by: c.by }, [
    'approved',
    'rejected',
  ]);
  if (!checked.ok) return checked;
  const r = s.revisions.find((x) => x.approvalTaskId === c.taskId);
  if (r?.status !== 'awaiting_approval') return refuse('HUMAN_TASK_CLOSED', `Task ${c.taskId} has no revision awaiting approval.`);
  const sod = notProposer(r, c.by, 'approve');
  if (!sod.ok) return sod;
  const by = checked.value;
  const reasons = (c.reasons ?? []).filter((x) => typeof x === 'string' && x.trim() !== '');
  const decided: SoaEvent = {
    type: 'HumanTaskDecided',
    taskId: c.taskId,
    kind: 'soa_revision_approval',
    outcome: c.outcome,
    reasons,
    by,
    at: c.at,
  };
  if (c.outcome === 'approved')
    return ok([decided, { type: 'SoaRevisionApproved', revisionId: r.revisionId, version: s.version + 1, by, at: c.at }]);
  return ok([decided, { type: 'SoaRevisionRejected', revisionId: r.revisionId, stage: 'approval', reasons, by, at: c.at }]);
}

function request(c: RequestSoaRevision, s: SoaState): Result<SoaEvent[], SoaError> {
  const v = new ValidationIssues();
  v.text('requestId', c.requestId);
  v.text('taskId', c.taskId);
  v.text('reason', c.reason);
  const cause = c.cause as Partial<RequestSoaRevision['cause']> | undefined;
  if (cause?.kind !== 'risk_treatment' && cause?.kind !== 'other') v.add('cause.kind', 'must be risk_treatment or other');
  if (cause?.kind === 'risk_treatment' && (typeof cause.riskId !== 'string' || !ID_TEXT.test(cause.riskId)))
    v.add('cause.riskId', 'must be a risk id');
  for (const key of ['controlsAdded', 'controlsDropped'] as const) {
    const ids = cause?.[key];
    if (!strings(ids)) v.add(`cause.${key}`, 'must be a list of control ids');
    else if (ids.some((id) => !isAnnexAControlId(id) && !OWN_CONTROL_ID.test(id)))
      v.add(`cause.${key}`, 'each must be an Annex A or own control id');
  }
  if (
    cause?.kind === 'risk_treatment' &&
    strings(cause.controlsAdded) &&
    strings(cause.controlsDropped) &&
    cause.controlsAdded.length + cause.controlsDropped.length === 0
  )
    v.add('cause', 'a risk treatment asks for a revision only when it adds or drops a control');
  if (!v.empty) return err(validationFailed(c.type, v.list));
  const by = authority(c.by, SOA_REQUEST_ROLES, 'ask for a revision of the Statement of Applicability');
  if (!by.ok) return by;
  if (s.requests.some((r) => r.requestId === c.requestId))
    return refuse('DUPLICATE_ID', `A revision request ${c.requestId} already exists.`, { id: c.requestId });
  if (s.tasks.some((t) => t.taskId === c.taskId)) return refuse('DUPLICATE_ID', `A task ${c.taskId} already exists.`, { id: c.taskId });
  const recordedCause: RequestSoaRevision['cause'] =
    c.cause.kind === 'risk_treatment'
      ? {
          kind: 'risk_treatment',
          riskId: c.cause.riskId,
          controlsAdded: [...c.cause.controlsAdded],
          controlsDropped: [...c.cause.controlsDropped],
        }
      : { kind: 'other', riskId: null, controlsAdded: [...c.cause.controlsAdded], controlsDropped: [...c.cause.controlsDropped] };
  return ok([
    { type: 'SoaRevisionRequested', requestId: c.requestId, reason: c.reason, cause: recordedCause, by: by.value, at: c.at },
    {
      type: 'HumanTaskOpened',
      taskId: c.taskId,
      kind: 'soa_revision_request',
      // The AIMS owner answers with a revision (or dismisses it); top management may too.
      requiredRoles: ['aims_owner', 'top_management'],
      subject: { type: 'soa_revision_request', requestId: c.requestId },
      requestedBy: c.by.id,
      dueAt: addMilliseconds(c.at, SOA_TASK_TIME_MS),
      by: by.value,
      at: c.at,
    },
  ]);
}

function dismiss(c: DismissSoaRevisionRequest, s: SoaState): Result<SoaEvent[], SoaError> {
  const task = s.tasks.find((t) => t.taskId === c.taskId && t.kind === 'soa_revision_request');
  // A dismissal is a rejection of the request: it needs reasons, and its requester may not dismiss it.
  const checked = checkHumanTaskDecision(task, { taskId: c.taskId, outcome: 'rejected', reasons: c.reasons ?? [], by: c.by }, ['rejected']);
  if (!checked.ok) return checked;
  const r = s.requests.find((x) => x.taskId === c.taskId);
  if (r?.status !== 'open') return refuse('HUMAN_TASK_CLOSED', `Task ${c.taskId} has no open revision request.`);
  const reasons = (c.reasons ?? []).filter((x) => typeof x === 'string' && x.trim() !== '');
  const by = checked.value;
  return ok([
    { type: 'HumanTaskDecided', taskId: c.taskId, kind: 'soa_revision_request', outcome: 'rejected', reasons, by, at: c.at },
    { type: 'SoaRevisionRequestDismissed', requestId: r.requestId, reasons, by, at: c.at },
  ]);
}

function attest(c: AttestControlStatus, s: SoaState): Result<SoaEvent[], SoaError> {
  const v = new ValidationIssues();
  v.text('controlId', c.controlId);
  v.oneOf('status', c.status, ATTESTED_STATUSES);
  checkLinks(v, 'evidenceRefs', c.evidenceRefs, false);
  if (strings(c.evidenceRefs) && c.status === 'operates' && c.evidenceRefs.length === 0)
    v.add('evidenceRefs', 'an attestation that a control operates names its evidence');
  if (v.text('note', c.note) && c.note.length > 4000) v.add('note', 'must be at most 4000 characters');
  if (!isDueDate(c.reviewBy)) v.add('reviewBy', 'must be a date, YYYY-MM-DD');
  else if (c.reviewBy <= c.at.slice(0, 10)) v.add('reviewBy', 'must be after today');
  if (!v.empty) return err(validationFailed(c.type, v.list));
  const entry = s.inForce?.entries.find((e) => e.controlId === c.controlId);
  if (!entry)
    return refuse('CONTROL_NOT_IN_SOA', `${c.controlId} is not in the Statement of Applicability in force.`, { controlId: c.controlId });
  if (!entry.applicable)
    return refuse('CONTROL_NOT_APPLICABLE', `${c.controlId} is excluded by the SoA in force; nothing to attest.`, {
      controlId: c.controlId,
    });
  if (isRuledControl(c.controlId)) {
    return refuse('CONTROL_HAS_RULE', `${c.controlId} is judged by its rule over the evidence; it takes no attestation.`, {
      controlId: c.controlId,
    });
  }
  const problem = actorProblem(c.by);
  if (problem) return refuse('INVALID_ACTOR', problem);
  // The control's owner knows whether it operates; the AIMS owner answers for every control.
  const isOwner = entry.owner !== null && sameIdentity(entry.owner, c.by.id);
  if (!isOwner && !SOA_ATTESTER_ROLES.some((r) => c.by.roles.includes(r))) {
    return refuse(
      'MISSING_ROLE',
      `${c.by.id} cannot attest ${c.controlId}: only its owner (${entry.owner ?? 'none'}) or the AIMS owner can.`,
      {
        actorId: c.by.id,
        actorRoles: [...c.by.roles],
        requiredRoles: [...SOA_ATTESTER_ROLES],
      },
    );
  }
  const by = actingAs(c.by, SOA_ATTESTER_ROLES);
  return ok([
    {
      type: 'ControlStatusAttested',
      controlId: c.controlId,
      status: c.status,
      evidenceRefs: [...c.evidenceRefs],
      note: c.note,
      reviewBy: c.reviewBy,
      by,
      at: c.at,
    },
  ]);
}

export function decide(command: SoaCommand, state: SoaState): Result<SoaEvent[], SoaError> {
  if (command === null || typeof command !== 'object') return refuse('UNKNOWN_COMMAND', 'A command is an object with a type.');
  switch (command.type) {
    case 'ProposeSoaRevision':
      return propose(command, state);
    case 'ReviewSoaRevision':
      return review(command, state);
    case 'ApproveSoaRevision':
      return approve(command, state);
    case 'RequestSoaRevision':
      return request(command, state);
    case 'DismissSoaRevisionRequest':
      return dismiss(command, state);
    case 'AttestControlStatus':
      return attest(command, state);
    default:
      return refuse('UNKNOWN_COMMAND', `${String((command as { type: unknown }).type)} is not a Statement of Applicability command.`);
  }
}
