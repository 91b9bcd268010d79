/**
 * Human tasks (5.3, A.3.2): every decision or piece of work a person with a given role must take, for one
 * inbox across processes. Two sources: the `HumanTaskOpened / Decided / ReminderSent / Escalated /
 * Superseded` evidence of any stream (AI-system lifecycles today; any process that records human tasks
 * with these events tomorrow), and the work items a nonconformity's state implies (rows derived from the
 * nonconformity read model: nonconformity-tasks.ts). One row per task, kept after it closes (status), so
 * a task's outcome can still be looked up.
 */
import { systemIdOfStream } from '../../../domain/ai-system/identity';
import type { NonconformityState } from '../../../domain/nonconformity/nonconformity';
import type { JsonObject, RecordedEvidenceEvent } from '../../ports/event-store.port';
import type { Projected, ReadModelDefinition } from '../../ports/read-model-store.port';
import type { HumanTaskRow } from './human-task-row';
import { NONCONFORMITIES, type NonconformityRow } from './nonconformities.read-model';
import { nonconformityTaskRows } from './nonconformity-tasks';

export const HUMAN_TASK_EVENT_TYPES = [
  'HumanTaskOpened',
  'HumanTaskDecided',
  'HumanTaskReminderSent',
  'HumanTaskEscalated',
  'HumanTaskSuperseded',
] as const;

export type { HumanTaskRow, HumanTaskRowStatus } from './human-task-row';

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const texts = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const object = (v: unknown): JsonObject | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : null);

function isHumanTaskEvent(type: string): boolean {
  return (HUMAN_TASK_EVENT_TYPES as readonly string[]).includes(type);
}

/** Row key: task ids are unique within their stream. */
export function humanTaskKey(stream: string, taskId: string): string {
  return `${stream}/${taskId}`;
}

function required(data: JsonObject, field: string): string {
  const value = text(data[field]);
  if (value === null || value === '') throw new TypeError(`${field} must be a non-empty string`);
  return value;
}

function touched(row: HumanTaskRow, event: RecordedEvidenceEvent, change: Partial<HumanTaskRow>): Projected<HumanTaskRow, null> {
  return { row: { ...row, ...change, updatedAt: event.recordedAt, lastPosition: event.position }, state: null };
}

export function applyHumanTaskEvent(
  current: Projected<HumanTaskRow, null> | null,
  event: RecordedEvidenceEvent,
): Projected<HumanTaskRow, null> | null {
  const data = event.data;
  if (event.type === 'HumanTaskOpened') {
    if (current !== null) return current;
    const requiredRoles = texts(data.requiredRoles);
    // A task that names its one person (a document's acknowledgement) is theirs, not every holder of its roles'.
    const assignee = text(data.assignee);
    const aiSystemId = systemIdOfStream(event.stream);
    return {
      row: {
        taskId: required(data, 'taskId'),
        stream: event.stream,
        aiSystemId,
        aiSystemIds: aiSystemId === null ? [] : [aiSystemId],
        kind: required(data, 'kind'),
        requiredRoles,
        eligibleRoles: assignee === null ? [...requiredRoles] : [],
        assignee,
        subject: object(data.subject) ?? {},
        requestedBy: text(data.requestedBy),
        status: 'open',
        openedAt: text(data.at) ?? event.recordedAt,
        dueAt: required(data, 'dueAt'),
        reminderSentAt: null,
        escalatedTo: null,
        escalatedAt: null,
        decision: null,
        supersededReason: null,
        closedAt: null,
        updatedAt: event.recordedAt,
        lastPosition: event.position,
      },
      state: null,
    };
  }
  // Anything about a task this projection never saw opened (or one already closed) changes nothing.
  if (current === null || current.row.status !== 'open') return current;
  const row = current.row;
  const at = text(data.at) ?? event.recordedAt;
  switch (event.type) {
    case 'HumanTaskDecided':
      return touched(row, event, {
        status: 'decided',
        decision: { outcome: required(data, 'outcome'), by: object(data.by), reasons: texts(data.reasons), at },
        closedAt: at,
      });
    case 'HumanTaskReminderSent':
      return touched(row, event, { reminderSentAt: at });
    case 'HumanTaskEscalated': {
      const role = required(data, 'escalatedTo');
      return touched(row, event, {
        escalatedTo: role,
        escalatedAt: at,
        eligibleRoles: row.eligibleRoles.includes(role) ? row.eligibleRoles : [...row.eligibleRoles, role],
      });
    }
    case 'HumanTaskSuperseded':
      return touched(row, event, { status: 'superseded', supersededReason: text(data.reason), closedAt: at });
    default:
      return current;
  }
}

/** Where tasks without a due date sort: after every dated one (ISO instants compare as text). */
export const NO_DUE_DATE = '9999-12-31T23:59:59.999Z';

export const HUMAN_TASKS: ReadModelDefinition<HumanTaskRow, null> = {
  name: 'human_tasks',
  // 2: nonconformity work items, assignee, aiSystemIds, tasks without a due date.
  version: 2,
  columns: [
    // Task ids are unique within a stream; a decision endpoint finds the task (and its stream) by id.
    { name: 'task_id', type: 'text', value: (r) => r.taskId },
    { name: 'status', type: 'text', value: (r) => r.status },
    { name: 'kind', type: 'text', value: (r) => r.kind },
    { name: 'stream', type: 'text', value: (r) => r.stream },
    { name: 'ai_system_id', type: 'text', value: (r) => r.aiSystemId },
    { name: 'ai_system_ids', type: 'json-list', value: (r) => r.aiSystemIds },
    { name: 'eligible_roles', type: 'json-list', value: (r) => r.eligibleRoles },
    { name: 'assignee', type: 'text', value: (r) => r.assignee },
    { name: 'due_at', type: 'text', orderable: true, value: (r) => r.dueAt ?? NO_DUE_DATE },
  ],
  indexes: [['task_id'], ['status', 'due_at'], ['ai_system_id'], ['assignee']],
  keyOf(event) {
    if (!isHumanTaskEvent(event.type)) return null;
    const taskId = text(event.data.taskId);
    return taskId === null || taskId === '' ? null : humanTaskKey(event.stream, taskId);
  },
  apply: applyHumanTaskEvent,
  derived: [
    {
      from: NONCONFORMITIES,
      rowsOf: (source) => {
        const nonconformity = source as Projected<NonconformityRow, NonconformityState>;
        return nonconformityTaskRows(nonconformity, (taskId) => humanTaskKey(nonconformity.row.stream, taskId));
      },
    },
  ],
};
