/**
 * Every rule of the scope process: what a statement must contain, who proposes it (the AIMS owner) and
 * approves it (top management, never its proposer), what a registration notice leads to, and who decides a
 * system's scope when the statement does not (never against the statement in force).
 */
import { sameIdentity } from '../shared/actor-identity';
import { domainError, type DomainError } from '../shared/domain-error';
import { checkHumanTaskDecision } from '../shared/human-task';
import { addMilliseconds, isIsoTimestamp } from '../shared/iso-time';
import type { JsonObject } from '../shared/json';
import { err, ok, type Result } from '../shared/result';
import { type ActorRef } from '../shared/roles';
import { ValidationIssues, validationFailed } from '../shared/validation';
import {
  AIMS_SCOPE_SYSTEM_ACTOR,
  SCOPE_APPROVER_ROLES,
  SCOPE_DECIDER_ROLES,
  SCOPE_PROPOSER_ROLES,
  SCOPE_TASK_TIME_MS,
  type AimsScopeCommand,
  type AimsScopeEvent,
  type AimsScopeState,
  type DecideAiSystemScope,
  type DecideScopeStatement,
  type NoteAiSystemRegistration,
  type ProposeScopeStatement,
  type ScopeDocumentRef,
  type ScopeStatement,
} from './model';
import { statementSays } from './queries';
import { requireRoles } from '../shared/require-roles';
import { escalateScopeTask, remindScopeTask } from './task-reminders';

export type AimsScopeError = DomainError;

const MAX_ITEMS = 500;
const MAX_TEXT = 4000;
export const SCOPE_ITEM_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const refuse = (code: string, message: string, details: JsonObject = {}): Result<never, AimsScopeError> =>
  err(domainError(code, message, details));

const authority = requireRoles;

const isText = (x: unknown): x is string => typeof x === 'string' && x.trim() !== '' && x.length <= MAX_TEXT;

function textList(v: ValidationIssues, field: string, value: unknown, required: boolean): string[] {
  if (!Array.isArray(value) || value.some((x) => !isText(x))) {
    v.add(field, 'must be a list of non-empty texts');
    return [];
  }
  if (required && value.length === 0) v.add(field, 'must name at least one');
  if (value.length > MAX_ITEMS) v.add(field, `must name at most ${MAX_ITEMS}`);
  v.distinct(field, value);
  return (value as string[]).map((x) => x.trim());
}

function objects<T>(v: ValidationIssues, field: string, value: unknown, each: (raw: Record<string, unknown>, f: string) => T | null): T[] {
  if (!Array.isArray(value)) {
    v.add(field, 'must be a list');
    return [];
  }
  if (value.length > MAX_ITEMS) v.add(field, `must name at most ${MAX_ITEMS}`);
  const out: T[] = [];
  value.forEach((raw: unknown, i) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) v.add(`${field}[${i}]`, 'must be an object');
    else {
      const item = each(raw as Record<string, unknown>, `${field}[${i}]`);
      if (item !== null) out.push(item);
    }
  });
  return out;
}

/** The statement as recorded: every list present, ids well formed, no system both in and out, every exclusion justified. */
export function checkStatement(raw: unknown, v: ValidationIssues): ScopeStatement {
  const s = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null) v.add('statement', 'must be an object');
  const organisationalUnits = textList(v, 'statement.organisationalUnits', s.organisationalUnits, true);
  const locations = textList(v, 'statement.locations', s.locations, true);
  const lifecycleStages = textList(v, 'statement.lifecycleStages', s.lifecycleStages, true);
  const systemsIn = textList(v, 'statement.systemsIn', s.systemsIn, false);
  if (systemsIn.some((id) => !SCOPE_ITEM_ID.test(id)))
    v.add('statement.systemsIn', 'each must be a system id: letters, digits, ".", "_", ":" or "-"');
  const justified = (r: Record<string, unknown>, f: string): string | null =>
    isText(r.justification) ? r.justification : v.add(`${f}.justification`, 'must say why, in at most 4000 characters') || null;
  const systemsOut = objects(v, 'statement.systemsOut', s.systemsOut, (r, f) => {
    const justification = justified(r, f);
    if (typeof r.systemId !== 'string' || !SCOPE_ITEM_ID.test(r.systemId)) return v.add(`${f}.systemId`, 'must be a system id') || null;
    return justification === null ? null : { systemId: r.systemId, justification };
  });
  const thirdPartyServices = objects(v, 'statement.thirdPartyServices', s.thirdPartyServices, (r, f) => {
    const justification = justified(r, f);
    let good = justification !== null;
    if (typeof r.serviceId !== 'string' || !SCOPE_ITEM_ID.test(r.serviceId)) good = v.add(`${f}.serviceId`, 'must be an id');
    if (!isText(r.provider)) good = v.add(`${f}.provider`, 'must name the provider');
    if (!isText(r.description)) good = v.add(`${f}.description`, 'must say what the service does for the organisation');
    if (typeof r.inScope !== 'boolean') good = v.add(`${f}.inScope`, 'must be true or false');
    return good
      ? {
          serviceId: r.serviceId as string,
          provider: r.provider as string,
          description: r.description as string,
          inScope: r.inScope as boolean,
          justification: justification as string,
        }
      : null;
  });
  const exclusions = objects(v, 'statement.exclusions', s.exclusions, (r, f) => {
    const justification = justified(r, f);
    if (!isText(r.subject)) return v.add(`${f}.subject`, 'must say what is excluded') || null;
    return justification === null ? null : { subject: r.subject, justification };
  });
  const ids = [...systemsIn, ...systemsOut.map((x) => x.systemId), ...thirdPartyServices.map((x) => x.serviceId)];
  v.distinct('statement', ids, 'system or service');
  return { organisationalUnits, locations, lifecycleStages, systemsIn, systemsOut, thirdPartyServices, exclusions };
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The controlled document a proposal names, as the API resolved it from the document's evidence; null when none. */
function checkDocumentRef(v: ValidationIssues, raw: unknown): ScopeDocumentRef | null {
  if (raw === undefined || raw === null) return null;
  const d = (typeof raw === 'object' ? raw : {}) as Partial<ScopeDocumentRef>;
  if (typeof d.documentId !== 'string' || !SCOPE_ITEM_ID.test(d.documentId)) v.add('document.documentId', 'must be a document id');
  if (typeof d.version !== 'number' || !Number.isInteger(d.version) || d.version < 1) v.add('document.version', 'must be a version number');
  if (!isText(d.title)) v.add('document.title', "must be the document's title");
  if (d.markdownDigest !== null && (typeof d.markdownDigest !== 'string' || !DIGEST.test(d.markdownDigest)))
    v.add('document.markdownDigest', 'must be a SHA-256 digest (sha256: and 64 lower-case hex digits) or null');
  if (!isIsoTimestamp(d.publishedAt)) v.add('document.publishedAt', 'must be an ISO-8601 timestamp');
  return {
    documentId: String(d.documentId),
    version: Number(d.version),
    title: String(d.title),
    markdownDigest: d.markdownDigest ?? null,
    publishedAt: String(d.publishedAt),
  };
}

/** A task time the workflow set (its input's timing): whole milliseconds above zero. */
function checkTaskTime(v: ValidationIssues, ms: unknown): void {
  if (ms !== undefined && !(typeof ms === 'number' && Number.isInteger(ms) && ms > 0))
    v.add('taskTimeMs', 'must be whole milliseconds above zero');
}

function propose(c: ProposeScopeStatement, s: AimsScopeState): Result<AimsScopeEvent[], AimsScopeError> {
  const v = new ValidationIssues();
  v.text('proposalId', c.proposalId);
  v.text('approvalTaskId', c.approvalTaskId);
  if (v.text('summary', c.summary) && c.summary.length > MAX_TEXT) v.add('summary', 'must be at most 4000 characters');
  const statement = checkStatement(c.statement, v);
  const document = checkDocumentRef(v, c.document);
  checkTaskTime(v, c.taskTimeMs);
  if (!v.empty) return err(validationFailed(c.type, v.list));
  const by = authority(c.by, SCOPE_PROPOSER_ROLES, 'propose a scope statement');
  if (!by.ok) return by;
  if (s.proposals.some((p) => p.proposalId === c.proposalId))
    return refuse('DUPLICATE_ID', `A scope proposal ${c.proposalId} already exists.`, { id: c.proposalId });
  if (s.tasks.some((t) => t.taskId === c.approvalTaskId))
    return refuse('DUPLICATE_ID', `A task ${c.approvalTaskId} already exists.`, { id: c.approvalTaskId });
  const pending = s.proposals.find((p) => p.status === 'awaiting_approval');
  if (pending)
    return refuse('SCOPE_PROPOSAL_PENDING', `Scope proposal ${pending.proposalId} awaits its approval; decide it first.`, {
      proposalId: pending.proposalId,
    });
  return ok([
    { type: 'ScopeStatementProposed', proposalId: c.proposalId, summary: c.summary, statement, by: by.value, at: c.at },
    ...(document === null
      ? []
      : [{ type: 'ScopeStatementDocumentNamed' as const, proposalId: c.proposalId, document, by: by.value, at: c.at }]),
    {
      type: 'HumanTaskOpened',
      taskId: c.approvalTaskId,
      kind: 'aims_scope_approval',
      requiredRoles: [...SCOPE_APPROVER_ROLES],
      subject: { type: 'scope_statement', proposalId: c.proposalId },
      requestedBy: c.by.id,
      dueAt: addMilliseconds(c.at, c.taskTimeMs ?? SCOPE_TASK_TIME_MS),
      by: by.value,
      at: c.at,
    },
  ]);
}

/**
 * What a newly approved statement means for the systems known: a decision from it for each registered
 * system it names whose decision differs or is missing; its open scope-decision task closed.
 */
function followStatement(
  s: AimsScopeState,
  statement: ScopeStatement,
  version: number,
  proposalId: string,
  by: ActorRef,
  at: string,
): AimsScopeEvent[] {
  const events: AimsScopeEvent[] = [];
  for (const systemId of Object.keys(s.systems)) {
    const says = statementSays(statement, systemId);
    if (says === null) continue;
    const held = s.decisions[systemId];
    if (held?.inScope !== says.inScope)
      events.push({ type: 'AiSystemScopeDecided', systemId, ...says, basis: { kind: 'statement', version, proposalId }, by, at });
    for (const t of s.tasks)
      if (t.status === 'open' && t.kind === 'ai_system_scope_decision' && t.subject.systemId === systemId)
        events.push({
          type: 'HumanTaskSuperseded',
          taskId: t.taskId,
          reason: `scope statement version ${version} names ${systemId}`,
          by,
          at,
        });
  }
  return events;
}

function decideStatement(c: DecideScopeStatement, s: AimsScopeState): Result<AimsScopeEvent[], AimsScopeError> {
  const task = s.tasks.find((t) => t.taskId === c.taskId && t.kind === 'aims_scope_approval');
  const checked = checkHumanTaskDecision(task, { taskId: c.taskId, outcome: c.outcome, reasons: c.reasons ?? [], by: c.by }, [
    'approved',
    'rejected',
  ]);
  if (!checked.ok) return checked;
  const p = s.proposals.find((x) => x.approvalTaskId === c.taskId);
  if (p?.status !== 'awaiting_approval') return refuse('HUMAN_TASK_CLOSED', `Task ${c.taskId} has no scope proposal awaiting approval.`);
  // checkHumanTaskDecision refuses the requester already; said again for the record's sake (4.3, A.3.2).
  if (sameIdentity(p.proposedBy.id, c.by.id))
    return refuse('SEGREGATION_OF_DUTIES', `${c.by.id} proposed ${p.proposalId}; someone else must approve it.`, { actorId: c.by.id });
  const by = checked.value;
  const reasons = (c.reasons ?? []).filter((x) => typeof x === 'string' && x.trim() !== '');
  const decided: AimsScopeEvent = {
    type: 'HumanTaskDecided',
    taskId: c.taskId,
    kind: 'aims_scope_approval',
    outcome: c.outcome,
    reasons,
    by,
    at: c.at,
  };
  if (c.outcome !== 'approved') return ok([decided, { type: 'ScopeStatementRejected', proposalId: p.proposalId, reasons, by, at: c.at }]);
  const version = s.version + 1;
  return ok([
    decided,
    {
      type: 'ScopeStatementApproved',
      proposalId: p.proposalId,
      version,
      replacesVersion: s.version === 0 ? null : s.version,
      by,
      at: c.at,
    },
    ...followStatement(s, p.statement, version, p.proposalId, by, c.at),
  ]);
}

function noteRegistration(c: NoteAiSystemRegistration, s: AimsScopeState): Result<AimsScopeEvent[], AimsScopeError> {
  const v = new ValidationIssues();
  if (typeof c.systemId !== 'string' || !SCOPE_ITEM_ID.test(c.systemId)) v.add('systemId', 'must be a system id');
  v.text('name', c.name);
  v.text('causeEventId', c.causeEventId);
  v.text('taskId', c.taskId);
  if (!isIsoTimestamp(c.registeredAt)) v.add('registeredAt', 'must be an ISO-8601 timestamp');
  checkTaskTime(v, c.taskTimeMs);
  if (!v.empty) return err(validationFailed(c.type, v.list));
  // A resent notice: nothing new.
  if (s.systems[c.systemId] !== undefined) return ok([]);
  const by = AIMS_SCOPE_SYSTEM_ACTOR;
  const noted: AimsScopeEvent = {
    type: 'AiSystemRegistrationNoted',
    systemId: c.systemId,
    name: c.name,
    causeEventId: c.causeEventId,
    registeredAt: c.registeredAt,
    by,
    at: c.at,
  };
  const inForce = s.versions.find((x) => x.version === s.version);
  const says = inForce === undefined ? null : statementSays(inForce.statement, c.systemId);
  if (inForce !== undefined && says !== null)
    return ok([
      noted,
      {
        type: 'AiSystemScopeDecided',
        systemId: c.systemId,
        ...says,
        basis: { kind: 'statement', version: inForce.version, proposalId: inForce.proposalId },
        by,
        at: c.at,
      },
    ]);
  // Decided already by a person (before it registered): that decision stands, recorded again for the
  // system now registered so its lifecycle is told it.
  const held = s.decisions[c.systemId];
  if (held !== undefined)
    return ok([
      noted,
      {
        type: 'AiSystemScopeDecided',
        systemId: c.systemId,
        inScope: held.inScope,
        justification: held.justification,
        basis: held.basis,
        by,
        at: c.at,
      },
    ]);
  if (s.tasks.some((t) => t.taskId === c.taskId)) return refuse('DUPLICATE_ID', `A task ${c.taskId} already exists.`, { id: c.taskId });
  return ok([
    noted,
    {
      type: 'HumanTaskOpened',
      taskId: c.taskId,
      kind: 'ai_system_scope_decision',
      requiredRoles: ['aims_owner'],
      subject: { type: 'ai_system', systemId: c.systemId, name: c.name },
      requestedBy: null,
      dueAt: addMilliseconds(c.at, c.taskTimeMs ?? SCOPE_TASK_TIME_MS),
      by,
      at: c.at,
    },
  ]);
}

function decideSystem(c: DecideAiSystemScope, s: AimsScopeState): Result<AimsScopeEvent[], AimsScopeError> {
  const v = new ValidationIssues();
  if (typeof c.systemId !== 'string' || !SCOPE_ITEM_ID.test(c.systemId)) v.add('systemId', 'must be a system id');
  v.boolean('inScope', c.inScope);
  if (!isText(c.justification)) v.add('justification', 'must say why, in at most 4000 characters');
  if (!v.empty) return err(validationFailed(c.type, v.list));
  const by = authority(c.by, SCOPE_DECIDER_ROLES, "decide an AI system's scope");
  if (!by.ok) return by;
  const inForce = s.versions.find((x) => x.version === s.version);
  const says = inForce === undefined ? null : statementSays(inForce.statement, c.systemId);
  if (inForce !== undefined && says !== null && says.inScope !== c.inScope)
    return refuse(
      'SCOPE_DECISION_CONTRADICTS_STATEMENT',
      `Scope statement version ${inForce.version} names ${c.systemId} ${says.inScope ? 'in' : 'out of'} scope; change the statement to change that.`,
      { systemId: c.systemId, version: inForce.version, statementInScope: says.inScope },
    );
  const events: AimsScopeEvent[] = [
    {
      type: 'AiSystemScopeDecided',
      systemId: c.systemId,
      inScope: c.inScope,
      justification: c.justification,
      basis: { kind: 'person', id: by.value.id, role: by.value.role },
      by: by.value,
      at: c.at,
    },
  ];
  for (const t of s.tasks)
    if (t.status === 'open' && t.kind === 'ai_system_scope_decision' && t.subject.systemId === c.systemId)
      events.unshift({
        type: 'HumanTaskDecided',
        taskId: t.taskId,
        kind: 'ai_system_scope_decision',
        outcome: 'approved',
        reasons: [`${c.inScope ? 'in' : 'out of'} scope: ${c.justification}`],
        by: by.value,
        at: c.at,
      });
  return ok(events);
}

export function decide(command: AimsScopeCommand, state: AimsScopeState): Result<AimsScopeEvent[], AimsScopeError> {
  if (command === null || typeof command !== 'object') return refuse('UNKNOWN_COMMAND', 'A command is an object with a type.');
  switch (command.type) {
    case 'ProposeScopeStatement':
      return propose(command, state);
    case 'DecideScopeStatement':
      return decideStatement(command, state);
    case 'NoteAiSystemRegistration':
      return noteRegistration(command, state);
    case 'DecideAiSystemScope':
      return decideSystem(command, state);
    case 'SendScopeTaskReminder':
      return remindScopeTask(command, state);
    case 'EscalateScopeTask':
      return escalateScopeTask(command, state);
    default:
      return refuse('UNKNOWN_COMMAND', `${String((command as { type: unknown }).type)} is not a scope command.`);
  }
}
