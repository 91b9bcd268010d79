/**
 * Every rule of a controlled document: what a document and a version must contain, who may submit,
 * review, approve and confirm a review (never the author), who acknowledges a published version, and what
 * the process does by itself (acknowledgement requests, reminders, escalations, periodic review).
 */
import { sameIdentity, normaliseIdentity } from '../shared/actor-identity';
import { isSha256Digest } from '../shared/artifact-digest';
import { domainError, type DomainError } from '../shared/domain-error';
import {
  checkEscalationDue,
  checkHumanTaskDecision,
  checkReminderDue,
  eligibleRoles,
  ESCALATION_ROLE,
  type HumanTaskOutcome,
} from '../shared/human-task';
import { addMilliseconds, isAtOrAfter, parseFixedDuration } from '../shared/iso-time';
import type { JsonObject } from '../shared/json';
import { err, ok, type Result } from '../shared/result';
import { actingAs, actorProblem, isAimsRole, type ActorRef, type AimsRole } from '../shared/roles';
import { ValidationIssues, validationFailed } from '../shared/validation';
import {
  approverRoles,
  authorRoles,
  DEFAULT_REVIEW_INTERVAL,
  DEFAULT_ACKNOWLEDGEMENT_TIME,
  DEFAULT_DECISION_TIME,
  DOCUMENT_REVIEWER_ROLES,
  periodicReviewRoles,
  PLANNED_CHANGE_KINDS,
} from './authority';
import {
  addInterval,
  aiPolicyIssues,
  ATTACHMENT_CONTENT_TYPES,
  isReviewInterval,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  MAX_MARKDOWN_CHARS,
} from './content';
import { acknowledgementTaskId, approvalTaskIdOf, periodicReviewTaskId, revisionTaskIdOf } from './identity';
import {
  DOCUMENT_CLASSIFICATIONS,
  DOCUMENT_KINDS,
  DOCUMENT_SYSTEM_ACTOR,
  type AcknowledgeDocument,
  type CreateDocument,
  type DecideDocumentTask,
  type DocumentAttachment,
  type DocumentCommand,
  type DocumentEvent,
  type DocumentRecord,
  type DocumentState,
  type DocumentTask,
  type DocumentTaskKind,
  type DocumentTaskOpened,
  type EscalateDocumentTask,
  type OpenPeriodicReview,
  type RequestAcknowledgements,
  type SendDocumentTaskReminder,
  type SubmitDocumentVersion,
} from './model';
import { requireRoles } from '../shared/require-roles';

type Decided = Result<DocumentEvent[], DomainError>;

const DOCUMENT_ID = /^[A-Za-z0-9][A-Za-z0-9_.:@]*(?:-[A-Za-z0-9_.:@]+)*$/;

const refuse = (code: string, message: string, details: JsonObject = {}): Result<never, DomainError> =>
  err(domainError(code, message, details));

const authority = requireRoles;

function exists(s: DocumentState, command: string): Result<DocumentRecord, DomainError> {
  return s === null ? refuse('DOCUMENT_NOT_CREATED', `${command}: the document does not exist yet.`) : ok(s);
}

function opened(
  d: DocumentRecord,
  taskId: string,
  kind: DocumentTaskKind,
  roles: readonly AimsRole[],
  version: number,
  requestedBy: string | null,
  assignee: string | null,
  by: ActorRef,
  at: string,
  time: 'decision' | 'acknowledgement',
): DocumentTaskOpened {
  const timeMs = parseFixedDuration(time === 'decision' ? d.decisionTime : d.acknowledgementTime) ?? 0;
  return {
    type: 'HumanTaskOpened',
    taskId,
    kind,
    requiredRoles: [...roles],
    subject: { type: 'document_version', documentId: d.documentId, version },
    requestedBy,
    assignee,
    dueAt: addMilliseconds(at, timeMs),
    by,
    at,
  };
}

function create(c: CreateDocument, s: DocumentState): Decided {
  const v = new ValidationIssues();
  if (typeof c.documentId !== 'string' || c.documentId.length > 100 || !DOCUMENT_ID.test(c.documentId))
    v.add('documentId', 'must be 1–100 letters, digits or _ . : @ -, starting with a letter or digit, without "--" or a trailing "-"');
  v.oneOf('kind', c.kind, DOCUMENT_KINDS);
  if (v.text('title', c.title) && c.title.length > 200) v.add('title', 'must be at most 200 characters');
  if (v.text('owner', c.owner) && c.owner.length > 200) v.add('owner', 'must be at most 200 characters');
  v.oneOf('classification', c.classification, DOCUMENT_CLASSIFICATIONS);
  if (v.text('retention', c.retention) && c.retention.length > 200) v.add('retention', 'must be at most 200 characters');
  if (!Array.isArray(c.acknowledgementRoles) || !c.acknowledgementRoles.every(isAimsRole))
    v.add('acknowledgementRoles', 'must be a list of AIMS roles');
  else v.distinct('acknowledgementRoles', c.acknowledgementRoles, 'role');
  if (c.reviewInterval !== undefined && c.reviewInterval !== null && !isReviewInterval(c.reviewInterval))
    v.add('reviewInterval', 'must be an ISO 8601 duration: months or years (P12M, P1Y) or fixed units (P30D, PT5S)');
  for (const field of ['decisionTime', 'acknowledgementTime'] as const) {
    const value = c[field];
    if (value !== undefined && value !== null && !((parseFixedDuration(value) ?? 0) > 0))
      v.add(field, 'must be an ISO 8601 duration in fixed units (P10D, PT5S)');
  }
  if (!v.empty) return err(validationFailed(c.type, v.list));
  const by = authority(c.by, authorRoles(c.kind), `create a ${c.kind} document`);
  if (!by.ok) return by;
  if (s !== null) return refuse('DOCUMENT_EXISTS', `Document ${s.documentId} already exists.`, { documentId: s.documentId });
  return ok([
    {
      type: 'DocumentCreated',
      documentId: c.documentId,
      kind: c.kind,
      title: c.title.trim(),
      owner: c.owner.trim(),
      classification: c.classification,
      retention: c.retention.trim(),
      acknowledgementRoles: [...c.acknowledgementRoles],
      reviewInterval: c.reviewInterval ?? DEFAULT_REVIEW_INTERVAL[c.kind],
      decisionTime: c.decisionTime ?? DEFAULT_DECISION_TIME,
      acknowledgementTime: c.acknowledgementTime ?? DEFAULT_ACKNOWLEDGEMENT_TIME,
      by: by.value,
      at: c.at,
    },
  ]);
}

function attachmentsOf(raw: unknown, v: ValidationIssues): DocumentAttachment[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    v.add('attachments', 'must be a list');
    return [];
  }
  if (raw.length > MAX_ATTACHMENTS) v.add('attachments', `must be at most ${MAX_ATTACHMENTS}`);
  const out: DocumentAttachment[] = [];
  raw.forEach((a: Partial<DocumentAttachment> | null, i) => {
    const f = `attachments[${i}]`;
    if (typeof a !== 'object' || a === null) {
      v.add(f, 'must be an object');
      return;
    }
    let fine = v.text(`${f}.name`, a.name);
    if (!isSha256Digest(a.digest)) fine = v.add(`${f}.digest`, 'must be sha256: followed by 64 lowercase hex digits');
    if (!(ATTACHMENT_CONTENT_TYPES as readonly unknown[]).includes(a.contentType))
      fine = v.add(`${f}.contentType`, `must be one of: ${ATTACHMENT_CONTENT_TYPES.join(', ')}`);
    if (typeof a.size !== 'number' || !Number.isInteger(a.size) || a.size < 1 || a.size > MAX_ATTACHMENT_BYTES)
      fine = v.add(`${f}.size`, `must be 1–${MAX_ATTACHMENT_BYTES} bytes`);
    if (fine) out.push({ name: String(a.name), digest: String(a.digest), contentType: String(a.contentType), size: Number(a.size) });
  });
  v.distinct(
    'attachments',
    out.map((a) => a.name),
    'attachment name',
  );
  return out;
}

function submit(c: SubmitDocumentVersion, s: DocumentState): Decided {
  const doc = exists(s, c.type);
  if (!doc.ok) return doc;
  const d = doc.value;
  const v = new ValidationIssues();
  const markdown = c.markdown ?? null;
  if (markdown !== null) {
    if (typeof markdown !== 'string' || markdown.trim() === '') v.add('markdown', 'must be non-empty text or null');
    else if (markdown.length > MAX_MARKDOWN_CHARS) v.add('markdown', `must be at most ${MAX_MARKDOWN_CHARS} characters`);
    if (!isSha256Digest(c.markdownDigest)) v.add('markdownDigest', 'must be the sha256: digest of the Markdown');
  }
  const attachments = attachmentsOf(c.attachments, v);
  if (markdown === null && attachments.length === 0 && v.empty)
    v.add('markdown', 'a version needs its content: Markdown text, attachments, or both');
  if (v.text('changeSummary', c.changeSummary) && c.changeSummary.length > 4000) v.add('changeSummary', 'must be at most 4000 characters');
  const planned = PLANNED_CHANGE_KINDS.includes(d.kind);
  const change = c.change ?? null;
  if (planned) {
    if (change === null || typeof change !== 'object')
      v.add('change', `a new version of the ${d.kind} is a planned change to the AIMS (6.3): say its reason and consequences`);
    else {
      v.text('change.reason', change.reason);
      v.text('change.consequences', change.consequences);
    }
  } else if (
    change !== null &&
    (typeof change !== 'object' || typeof change.reason !== 'string' || typeof change.consequences !== 'string')
  )
    v.add('change', 'must be { reason, consequences } or null');
  if (d.kind === 'ai_policy' && typeof markdown === 'string') v.addAll(aiPolicyIssues(markdown));
  else if (d.kind === 'ai_policy' && markdown === null) v.addAll(aiPolicyIssues(null));
  if (!v.empty) return err(validationFailed(c.type, v.list));
  const by = authority(c.by, authorRoles(d.kind), `submit a version of ${d.documentId}`);
  if (!by.ok) return by;
  const pending = d.versions.find((x) => x.status === 'in_review' || x.status === 'awaiting_approval');
  if (pending)
    return refuse('DOCUMENT_VERSION_PENDING', `Version ${pending.version} of ${d.documentId} awaits its decision; decide it first.`, {
      documentId: d.documentId,
      version: pending.version,
    });
  if (c.version !== d.versions.length + 1)
    return refuse('VERSION_OUT_OF_ORDER', `The next version of ${d.documentId} is ${d.versions.length + 1}.`);
  const last = d.versions.at(-1);
  const answers = last?.status === 'changes_requested' || last?.status === 'rejected' ? last.version : null;
  // The new version answers the author's open revision tasks.
  const answered: DocumentEvent[] = d.tasks
    .filter((t) => t.kind === 'document_revision' && t.status === 'open')
    .map((t) => ({ type: 'HumanTaskSuperseded', taskId: t.taskId, reason: `version ${c.version} submitted`, by: by.value, at: c.at }));
  return ok([
    {
      type: 'DocumentVersionSubmitted',
      documentId: d.documentId,
      version: c.version,
      markdown,
      markdownDigest: markdown === null ? null : (c.markdownDigest ?? null),
      attachments,
      changeSummary: c.changeSummary.trim(),
      change: change === null ? null : { reason: change.reason.trim(), consequences: change.consequences.trim() },
      replacesVersion: answers,
      by: by.value,
      at: c.at,
    },
    ...answered,
    opened(d, c.reviewTaskId, 'document_review', DOCUMENT_REVIEWER_ROLES, c.version, c.by.id, null, by.value, c.at, 'decision'),
  ]);
}

const OUTCOMES: Record<Exclude<DocumentTaskKind, 'document_acknowledgement' | 'document_revision'>, HumanTaskOutcome[]> = {
  document_review: ['approved', 'changes_requested', 'rejected'],
  document_approval: ['approved', 'changes_requested', 'rejected'],
  document_periodic_review: ['approved'],
};

function decideTask(c: DecideDocumentTask, s: DocumentState): Decided {
  const doc = exists(s, c.type);
  if (!doc.ok) return doc;
  const d = doc.value;
  const task = d.tasks.find((t) => t.taskId === c.taskId);
  if (task?.kind === 'document_revision')
    return refuse('HUMAN_TASK_OUTCOME_NOT_ALLOWED', `Task ${c.taskId} is answered by submitting a new version of ${d.documentId}.`, {
      taskId: c.taskId,
    });
  if (task?.kind === 'document_acknowledgement')
    return refuse('HUMAN_TASK_OUTCOME_NOT_ALLOWED', `Task ${c.taskId} is an acknowledgement: its person acknowledges it.`, {
      taskId: c.taskId,
    });
  const version = task === undefined ? undefined : d.versions.find((x) => x.version === task.subject.version);
  const conflicts =
    version === undefined || task?.kind === 'document_periodic_review'
      ? []
      : [{ identity: version.submittedBy.id, conflict: 'author', act: `wrote version ${version.version} of ${d.documentId}` }];
  const allowed = task === undefined ? ['approved' as const] : OUTCOMES[task.kind];
  const checked = checkHumanTaskDecision(
    task,
    { taskId: c.taskId, outcome: c.outcome, reasons: c.reasons ?? [], by: c.by },
    allowed,
    conflicts,
  );
  if (!checked.ok) return checked;
  if (task === undefined || version === undefined)
    return refuse('HUMAN_TASK_CLOSED', `Task ${c.taskId} has no version awaiting a decision.`);
  const by = checked.value;
  const reasons = (c.reasons ?? []).filter((r) => typeof r === 'string' && r.trim() !== '');
  const decided: DocumentEvent = { type: 'HumanTaskDecided', taskId: c.taskId, kind: task.kind, outcome: c.outcome, reasons, by, at: c.at };
  const base = { documentId: d.documentId, version: version.version, by, at: c.at };
  if (task.kind === 'document_periodic_review') {
    const note = typeof c.note === 'string' ? c.note : reasons.join('; ');
    return ok([decided, { type: 'DocumentReviewConfirmed', ...base, note, reviewDueAt: addInterval(c.at, d.reviewInterval) }]);
  }
  const stage = task.kind === 'document_review' ? 'review' : 'approval';
  // Sent back: the author finds it in their inbox with the reasons, answered by a new version.
  if (c.outcome !== 'approved')
    return ok([
      decided,
      { type: 'DocumentVersionReturned', ...base, stage, outcome: c.outcome, reasons },
      opened(
        d,
        revisionTaskIdOf(d.documentId, version.version),
        'document_revision',
        authorRoles(d.kind),
        version.version,
        by.id,
        normaliseIdentity(version.submittedBy.id),
        by,
        c.at,
        'decision',
      ),
    ]);
  if (task.kind === 'document_review') {
    return ok([
      decided,
      { type: 'DocumentVersionReviewed', ...base },
      opened(
        d,
        approvalTaskIdOf(d.documentId, version.version),
        'document_approval',
        approverRoles(d.kind),
        version.version,
        version.submittedBy.id,
        null,
        by,
        c.at,
        'decision',
      ),
    ]);
  }
  // Publication: the version in force before becomes obsolete; its open acknowledgements and a pending
  // periodic review are answered by the new version.
  const superseded: DocumentEvent[] = d.tasks
    .filter((t) => t.status === 'open' && (t.kind === 'document_periodic_review' || t.kind === 'document_acknowledgement'))
    .map((t) => ({
      type: 'HumanTaskSuperseded',
      taskId: t.taskId,
      reason: `version ${version.version} of ${d.documentId} is published`,
      by,
      at: c.at,
    }));
  return ok([
    decided,
    { type: 'DocumentVersionPublished', ...base, obsoletes: d.publishedVersion, reviewDueAt: addInterval(c.at, d.reviewInterval) },
    ...superseded,
  ]);
}

function acknowledge(c: AcknowledgeDocument, s: DocumentState): Decided {
  const doc = exists(s, c.type);
  if (!doc.ok) return doc;
  const d = doc.value;
  const task = d.tasks.find((t) => t.taskId === c.taskId);
  if (task !== undefined && task.kind !== 'document_acknowledgement')
    return refuse('HUMAN_TASK_OUTCOME_NOT_ALLOWED', `Task ${c.taskId} is a ${task.kind}, not an acknowledgement.`, { taskId: c.taskId });
  const problem = actorProblem(c.by);
  if (problem) return refuse('INVALID_ACTOR', problem);
  if (task !== undefined && task.status === 'open' && task.assignee !== null && !sameIdentity(task.assignee, c.by.id))
    return refuse(
      'NOT_ACTION_OWNER',
      `Task ${c.taskId} asks ${task.assignee} to acknowledge the document; ${c.by.id} cannot do it for them.`,
      {
        taskId: c.taskId,
        assignee: task.assignee,
        actorId: c.by.id,
      },
    );
  // Anyone acknowledges for themselves, whatever their roles now: the task names them.
  const checked = checkHumanTaskDecision(
    task === undefined ? undefined : { ...task, requiredRoles: [...c.by.roles] },
    { taskId: c.taskId, outcome: 'approved', reasons: [], by: c.by },
    ['approved'],
  );
  if (!checked.ok) return checked;
  if (task === undefined) return refuse('HUMAN_TASK_UNKNOWN', `There is no task ${c.taskId}.`);
  const by = actingAs(c.by, task.requiredRoles);
  return ok([
    { type: 'HumanTaskDecided', taskId: c.taskId, kind: 'document_acknowledgement', outcome: 'approved', reasons: [], by, at: c.at },
    { type: 'DocumentAcknowledged', documentId: d.documentId, version: task.subject.version, taskId: c.taskId, by, at: c.at },
  ]);
}

function requestAcknowledgements(c: RequestAcknowledgements, s: DocumentState): Decided {
  const doc = exists(s, c.type);
  if (!doc.ok) return doc;
  const d = doc.value;
  if (d.publishedVersion !== c.version)
    return refuse('DOCUMENT_VERSION_NOT_IN_FORCE', `Version ${c.version} of ${d.documentId} is not the version in force.`);
  const asked = new Set(d.acknowledgements.filter((a) => a.version === c.version).map((a) => normaliseIdentity(a.identity)));
  const people: { id: string; roles: AimsRole[] }[] = [];
  for (const p of c.people ?? []) {
    const id = typeof p?.id === 'string' ? normaliseIdentity(p.id) : '';
    const roles = Array.isArray(p?.roles) ? p.roles.filter((r) => d.acknowledgementRoles.includes(r)) : [];
    if (id === '' || id.startsWith('aims:') || roles.length === 0 || asked.has(id)) continue;
    asked.add(id);
    people.push({ id, roles });
  }
  if (people.length === 0) return ok([]);
  const by = DOCUMENT_SYSTEM_ACTOR;
  const first = d.acknowledgements.filter((a) => a.version === c.version).length + 1;
  return ok([
    {
      type: 'DocumentAcknowledgementsRequested',
      documentId: d.documentId,
      version: c.version,
      people: people.map((p) => p.id),
      source: c.source,
      by,
      at: c.at,
    },
    ...people.map((p, i) =>
      opened(
        d,
        acknowledgementTaskId(d.documentId, c.version, first + i),
        'document_acknowledgement',
        p.roles,
        c.version,
        null,
        p.id,
        by,
        c.at,
        'acknowledgement',
      ),
    ),
  ]);
}

function remind(c: SendDocumentTaskReminder, d: DocumentRecord): Decided {
  const task = d.tasks.find((t) => t.taskId === c.taskId);
  const due = checkReminderDue(task, c.taskId, c.at);
  if (!due.ok) return due;
  // An acknowledgement reminds its one person, not every holder of their roles.
  const assignee = task?.assignee ?? null;
  return ok([
    {
      type: 'HumanTaskReminderSent',
      taskId: c.taskId,
      dueAt: due.value.dueAt,
      notifiedRoles: assignee === null ? eligibleRoles(due.value) : [],
      notifiedPeople: assignee === null ? [] : [assignee],
      by: DOCUMENT_SYSTEM_ACTOR,
      at: c.at,
    },
  ]);
}

function escalate(c: EscalateDocumentTask, d: DocumentRecord): Decided {
  const due = checkEscalationDue(
    d.tasks.find((t) => t.taskId === c.taskId),
    c.taskId,
    c.at,
    c.escalationAfterMs,
  );
  if (!due.ok) return due;
  return ok([{ type: 'HumanTaskEscalated', taskId: c.taskId, escalatedTo: ESCALATION_ROLE, by: DOCUMENT_SYSTEM_ACTOR, at: c.at }]);
}

function openPeriodicReview(c: OpenPeriodicReview, d: DocumentRecord): Decided {
  if (d.publishedVersion === null || d.reviewDueAt === null)
    return refuse('DOCUMENT_NOT_PUBLISHED', `${d.documentId} has no version in force to review.`);
  if (!isAtOrAfter(c.at, d.reviewDueAt))
    return refuse('DOCUMENT_REVIEW_NOT_DUE', `${d.documentId} is not due for review until ${d.reviewDueAt}.`, {
      reviewDueAt: d.reviewDueAt,
    });
  if (openPeriodicReviewTask(d) !== undefined) return refuse('DOCUMENT_REVIEW_OPEN', `The review of ${d.documentId} is already open.`);
  const by = DOCUMENT_SYSTEM_ACTOR;
  const n = d.tasks.filter((t) => t.kind === 'document_periodic_review').length + 1;
  return ok([
    { type: 'DocumentReviewDue', documentId: d.documentId, version: d.publishedVersion, dueAt: d.reviewDueAt, by, at: c.at },
    opened(
      d,
      periodicReviewTaskId(d.documentId, n),
      'document_periodic_review',
      periodicReviewRoles(d.kind),
      d.publishedVersion,
      null,
      null,
      by,
      c.at,
      'decision',
    ),
  ]);
}

export function openPeriodicReviewTask(d: DocumentRecord): DocumentTask | undefined {
  return d.tasks.find((t) => t.kind === 'document_periodic_review' && t.status === 'open');
}

export function decide(command: DocumentCommand, state: DocumentState): Decided {
  if (command === null || typeof command !== 'object') return refuse('UNKNOWN_COMMAND', 'A command is an object with a type.');
  switch (command.type) {
    case 'CreateDocument':
      return create(command, state);
    case 'SubmitDocumentVersion':
      return submit(command, state);
    case 'DecideDocumentTask':
      return decideTask(command, state);
    case 'AcknowledgeDocument':
      return acknowledge(command, state);
    case 'RequestAcknowledgements':
      return requestAcknowledgements(command, state);
    case 'SendDocumentTaskReminder':
    case 'EscalateDocumentTask':
    case 'OpenPeriodicReview': {
      const doc = exists(state, command.type);
      if (!doc.ok) return doc;
      if (command.type === 'SendDocumentTaskReminder') return remind(command, doc.value);
      if (command.type === 'EscalateDocumentTask') return escalate(command, doc.value);
      return openPeriodicReview(command, doc.value);
    }
    default:
      return refuse('UNKNOWN_COMMAND', `${String((command as { type: unknown }).type)} is not a document command.`);
  }
}
