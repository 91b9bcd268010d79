/**
 * The rules of the context registers (4.1, 4.2): what an entry must say, who keeps them, and that every
 * change is a new version made against the one in the record. Also the fold, the evidence references and
 * the ids the workflow gives.
 */
import { domainError, type DomainError } from '../shared/domain-error';
import { isDueDate } from '../shared/iso-time';
import type { JsonObject } from '../shared/json';
import { err, ok, type Result } from '../shared/result';
import { actingAs, actorProblem, type Actor, type ActorRef } from '../shared/roles';
import { ValidationIssues, validationFailed } from '../shared/validation';
import {
  AI_ROLES,
  CONTEXT_EDITOR_ROLES,
  CONTEXT_REGISTERS,
  type AimsContextCommand,
  type AimsContextEvent,
  type AimsContextEventType,
  type AimsContextState,
  type ContextContent,
  type ContextRegister,
  type RecordContextEntry,
  type RetireContextEntry,
  type ReviewContextEntry,
} from './model';
import { escalateReview, evolveReviewTask, openReview, remindReview, reviewTaskClosed } from './review-tasks';

export type AimsContextError = DomainError;

const MAX_TEXT = 4000;
const MAX_ITEMS = 100;
const ENTRY_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const refuse = (code: string, message: string, details: JsonObject = {}): Result<never, AimsContextError> =>
  err(domainError(code, message, details));

function authority(by: Actor): Result<ActorRef, AimsContextError> {
  const problem = actorProblem(by);
  if (problem) return refuse('INVALID_ACTOR', problem);
  if (!CONTEXT_EDITOR_ROLES.some((r) => by.roles.includes(r)))
    return refuse(
      'MISSING_ROLE',
      `${by.id} cannot change the context registers: it needs one of the roles ${CONTEXT_EDITOR_ROLES.join(', ')}.`,
      {
        actorId: by.id,
        actorRoles: [...by.roles],
        requiredRoles: [...CONTEXT_EDITOR_ROLES],
      },
    );
  return ok(actingAs(by, CONTEXT_EDITOR_ROLES));
}

const isText = (x: unknown, max = MAX_TEXT): x is string => typeof x === 'string' && x.trim() !== '' && x.length <= max;

function texts(v: ValidationIssues, field: string, value: unknown, min = 0): string[] {
  if (!Array.isArray(value) || value.some((x) => !isText(x, 500))) {
    v.add(field, 'must be a list of non-empty texts of at most 500 characters');
    return [];
  }
  if (value.length < min) v.add(field, `must name at least ${min}`);
  if (value.length > MAX_ITEMS) v.add(field, `must name at most ${MAX_ITEMS}`);
  v.distinct(field, value);
  return [...(value as string[])];
}

/** The content as recorded, checked for its register. */
export function checkContent(raw: unknown, v: ValidationIssues): ContextContent | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return v.add('content', 'must be an object') || null;
  const c = raw as Record<string, unknown>;
  if (!v.oneOf('content.register', c.register, CONTEXT_REGISTERS)) return null;
  const text = (field: string): string =>
    isText(c[field]) ? c[field] : (v.add(`content.${field}`, 'must be non-empty text of at most 4000 characters'), '');
  switch (c.register as ContextRegister) {
    case 'issue': {
      v.oneOf('content.origin', c.origin, ['internal', 'external']);
      const aiRoles = c.aiRoles === undefined ? [] : texts(v, 'content.aiRoles', c.aiRoles);
      if (aiRoles.some((r) => !(AI_ROLES as readonly string[]).includes(r)))
        v.add('content.aiRoles', `must each be one of: ${AI_ROLES.join(', ')}`);
      return {
        register: 'issue',
        origin: c.origin as 'internal' | 'external',
        title: text('title'),
        description: text('description'),
        aiRoles: aiRoles as (typeof AI_ROLES)[number][],
      };
    }
    case 'interested_party':
      if (c.addressedThrough !== undefined && c.addressedThrough !== null && !isText(c.addressedThrough))
        v.add('content.addressedThrough', 'must be text or null');
      return {
        register: 'interested_party',
        name: text('name'),
        description: text('description'),
        requirements: texts(v, 'content.requirements', c.requirements, 1),
        addressedThrough: typeof c.addressedThrough === 'string' ? c.addressedThrough : null,
      };
    case 'obligation': {
      v.oneOf('content.source', c.source, ['legal', 'regulatory', 'contractual', 'other']);
      const appliesTo = c.appliesTo === undefined ? [] : texts(v, 'content.appliesTo', c.appliesTo);
      if (appliesTo.some((id) => !ENTRY_ID.test(id))) v.add('content.appliesTo', 'must each be an AI system id');
      return {
        register: 'obligation',
        source: c.source as 'legal' | 'regulatory' | 'contractual' | 'other',
        title: text('title'),
        description: text('description'),
        references: texts(v, 'content.references', c.references, 1),
        appliesTo,
      };
    }
  }
}

function reviewDate(v: ValidationIssues, value: unknown, at: string): void {
  if (!isDueDate(value)) v.add('reviewBy', 'must be a date, YYYY-MM-DD');
  else if (value <= at.slice(0, 10)) v.add('reviewBy', 'must be after today');
}

function record(c: RecordContextEntry, s: AimsContextState): Result<AimsContextEvent[], AimsContextError> {
  const v = new ValidationIssues();
  if (typeof c.entryId !== 'string' || !ENTRY_ID.test(c.entryId)) v.add('entryId', 'must be an id');
  const content = checkContent(c.content, v);
  if (!isText(c.owner, 200)) v.add('owner', 'must name the person who answers for the entry');
  reviewDate(v, c.reviewBy, c.at);
  if (!isText(c.reason)) v.add('reason', 'must say why it is recorded or changed');
  if (c.expectedVersion !== null && (!Number.isInteger(c.expectedVersion) || c.expectedVersion < 1))
    v.add('expectedVersion', 'must be a version number or null');
  if (!v.empty || content === null) return err(validationFailed(c.type, v.list));
  const by = authority(c.by);
  if (!by.ok) return by;
  const held = s.entries[c.entryId];
  if (held === undefined && c.expectedVersion !== null)
    return refuse('CONTEXT_ENTRY_UNKNOWN', `There is no context entry ${c.entryId}.`, { entryId: c.entryId });
  if (held !== undefined) {
    if (c.expectedVersion === null) return refuse('DUPLICATE_ID', `A context entry ${c.entryId} already exists.`, { id: c.entryId });
    if (held.status === 'retired')
      return refuse('CONTEXT_ENTRY_RETIRED', `Context entry ${c.entryId} was retired.`, { entryId: c.entryId });
    if (held.register !== content.register)
      return refuse('CONTEXT_REGISTER_MISMATCH', `Context entry ${c.entryId} is in the ${held.register} register.`, { entryId: c.entryId });
    if (held.version !== c.expectedVersion)
      return refuse(
        'CONTEXT_ENTRY_CHANGED',
        `Context entry ${c.entryId} is at version ${held.version}, not ${c.expectedVersion}; read it again.`,
        {
          entryId: c.entryId,
          version: held.version,
        },
      );
  }
  const version = (held?.version ?? 0) + 1;
  return ok([
    {
      type: 'ContextEntryRecorded',
      entryId: c.entryId,
      register: content.register,
      version,
      content,
      owner: c.owner,
      reviewBy: c.reviewBy,
      reason: c.reason,
      by: by.value,
      at: c.at,
    },
    ...reviewTaskClosed(s, c.entryId, { kind: 'answered', why: `revised as version ${version}: ${c.reason}` }, by.value, c.at),
  ]);
}

function activeEntry(s: AimsContextState, entryId: unknown): Result<AimsContextState['entries'][string], AimsContextError> {
  const held = typeof entryId === 'string' ? s.entries[entryId] : undefined;
  if (held === undefined)
    return refuse('CONTEXT_ENTRY_UNKNOWN', `There is no context entry ${String(entryId)}.`, { entryId: String(entryId) });
  if (held.status === 'retired')
    return refuse('CONTEXT_ENTRY_RETIRED', `Context entry ${held.entryId} was retired.`, { entryId: held.entryId });
  return ok(held);
}

function review(c: ReviewContextEntry, s: AimsContextState): Result<AimsContextEvent[], AimsContextError> {
  const v = new ValidationIssues();
  reviewDate(v, c.reviewBy, c.at);
  if (!isText(c.note)) v.add('note', 'must say what the review found');
  if (!v.empty) return err(validationFailed(c.type, v.list));
  const by = authority(c.by);
  if (!by.ok) return by;
  const held = activeEntry(s, c.entryId);
  if (!held.ok) return held;
  return ok([
    {
      type: 'ContextEntryReviewed',
      entryId: c.entryId,
      version: held.value.version,
      reviewBy: c.reviewBy,
      note: c.note,
      by: by.value,
      at: c.at,
    },
    ...reviewTaskClosed(s, c.entryId, { kind: 'answered', why: c.note }, by.value, c.at),
  ]);
}

function retire(c: RetireContextEntry, s: AimsContextState): Result<AimsContextEvent[], AimsContextError> {
  if (!isText(c.reason)) return err(validationFailed(c.type, [{ field: 'reason', problem: 'must say why the entry no longer applies' }]));
  const by = authority(c.by);
  if (!by.ok) return by;
  const held = activeEntry(s, c.entryId);
  if (!held.ok) return held;
  return ok([
    { type: 'ContextEntryRetired', entryId: c.entryId, version: held.value.version, reason: c.reason, by: by.value, at: c.at },
    ...reviewTaskClosed(s, c.entryId, { kind: 'retired', why: `entry retired: ${c.reason}` }, by.value, c.at),
  ]);
}

export function decide(command: AimsContextCommand, state: AimsContextState): Result<AimsContextEvent[], AimsContextError> {
  if (command === null || typeof command !== 'object') return refuse('UNKNOWN_COMMAND', 'A command is an object with a type.');
  switch (command.type) {
    case 'RecordContextEntry':
      return record(command, state);
    case 'ReviewContextEntry':
      return review(command, state);
    case 'RetireContextEntry':
      return retire(command, state);
    case 'OpenContextEntryReview':
      return openReview(command, state);
    case 'SendContextReviewReminder':
      return remindReview(command, state);
    case 'EscalateContextReview':
      return escalateReview(command, state);
    default:
      return refuse('UNKNOWN_COMMAND', `${String((command as { type: unknown }).type)} is not a context command.`);
  }
}

export function evolve(s: AimsContextState, e: AimsContextEvent): AimsContextState {
  switch (e.type) {
    case 'ContextEntryRecorded': {
      const held = s.entries[e.entryId];
      return {
        ...s,
        entries: {
          ...s.entries,
          [e.entryId]: {
            entryId: e.entryId,
            register: e.register,
            version: e.version,
            content: e.content,
            owner: e.owner,
            reviewBy: e.reviewBy,
            status: 'active',
            recordedBy: e.by,
            recordedAt: e.at,
            lastReviewedAt: held?.lastReviewedAt ?? null,
          },
        },
        counts: held === undefined ? { ...s.counts, [e.register]: s.counts[e.register] + 1 } : s.counts,
      };
    }
    case 'ContextEntryReviewed': {
      const held = s.entries[e.entryId];
      if (!held) return s;
      return { ...s, entries: { ...s.entries, [e.entryId]: { ...held, reviewBy: e.reviewBy, lastReviewedAt: e.at } } };
    }
    case 'ContextEntryRetired': {
      const held = s.entries[e.entryId];
      if (!held) return s;
      return { ...s, entries: { ...s.entries, [e.entryId]: { ...held, status: 'retired' } } };
    }
    case 'HumanTaskOpened':
    case 'HumanTaskReminderSent':
    case 'HumanTaskEscalated':
    case 'HumanTaskDecided':
    case 'HumanTaskSuperseded':
      return evolveReviewTask(s, e);
    default:
      return s;
  }
}

export function eventData(event: AimsContextEvent): JsonObject {
  const { type: _type, ...data } = event;
  return data;
}

export function eventActor(event: AimsContextEvent): ActorRef {
  return event.by;
}

/** The registers are 4.1's and 4.2's documented information; obligations also feed 6.1 (risks and opportunities). */
export const AIMS_CONTEXT_ISO_42001_REFERENCES: Record<AimsContextEventType, string[]> = {
  ContextEntryRecorded: ['4.1', '4.2'],
  ContextEntryReviewed: ['4.1', '4.2', '9.3'],
  ContextEntryRetired: ['4.1', '4.2'],
  // The review tasks: the registers monitored and reviewed (4.1, 4.2), through tasks in the one inbox (5.3).
  HumanTaskOpened: ['4.1', '4.2', '5.3'],
  HumanTaskReminderSent: ['4.1', '4.2', '5.3'],
  HumanTaskEscalated: ['4.1', '4.2', '5.3'],
  HumanTaskDecided: ['4.1', '4.2', '5.3'],
  HumanTaskSuperseded: ['4.1', '4.2', '5.3'],
};

/** The clauses one event is evidence for: its register's clause only. */
export function eventReferences(event: AimsContextEvent): readonly string[] {
  if (event.type === 'ContextEntryRecorded') return event.register === 'issue' ? ['4.1'] : ['4.2'];
  return AIMS_CONTEXT_ISO_42001_REFERENCES[event.type];
}

export function evolveRecorded(s: AimsContextState, recorded: { type: string; data: JsonObject }): AimsContextState {
  return evolve(s, { type: recorded.type, ...recorded.data } as unknown as AimsContextEvent);
}

const ID_PREFIX: Record<ContextRegister, string> = { issue: 'issue', interested_party: 'party', obligation: 'obligation' };

/** The id the workflow gives the next entry of a register. */
export function nextEntryId(s: AimsContextState, register: ContextRegister): string {
  return `${ID_PREFIX[register]}-${s.counts[register] + 1}`;
}
