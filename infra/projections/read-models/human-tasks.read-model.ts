/**
 * Human tasks (5.3, A.3.2): every decision a person with a given role must take, from the
 * `HumanTaskOpened / Decided / ReminderSent / Escalated / Superseded` evidence of any stream (AI-system
 * lifecycles today; any workflow that records human tasks with these events tomorrow). One row per task,
 * kept after it closes (status), so a task's outcome can still be looked up.
 */
import type { JsonObject, RecordedEvidenceEvent } from '../../ports/event-store.port';
import type { Projected, ReadModelDefinition } from '../../ports/read-model-store.port';
import { systemIdOfStream } from '../../../domain/ai-system/identity';

export const HUMAN_TASK_EVENT_TYPES = [
  'HumanTaskOpened',
  'HumanTaskDecided',
  'HumanTaskReminderSent',
  'HumanTaskEscalated',
  'HumanTaskSuperseded',
] as const;

export type HumanTaskRowStatus = 'open' | 'decided' | 'superseded';

export interface HumanTaskRow {
  taskId: string;
  /** The stream whose workflow owns the task (where its decision is recorded). */
  stream: string;
  /** The AI system it concerns, when the stream is an AI system's. */
  aiSystemId: string | null;
  kind: string;
  requiredRoles: string[];
  /** Who may decide now: the required roles, plus the role it was escalated to. */
  eligibleRoles: string[];
  subject: JsonObject;
  /** Actor id of whoever asked for the decision (they may not take it). */
  requestedBy: string | null;
  status: HumanTaskRowStatus;
  openedAt: string;
  dueAt: string;
  reminderSentAt: string | null;
  escalatedTo: string | null;
  escalatedAt: string | null;
  decision: { outcome: string; by: JsonObject | null; reasons: string[]; at: string } | null;
  supersededReason: string | null;
  closedAt: string | null;
  updatedAt: string;
  lastPosition: number;
}

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
    return {
      row: {
        taskId: required(data, 'taskId'),
        stream: event.stream,
        aiSystemId: systemIdOfStream(event.stream),
        kind: required(data, 'kind'),
        requiredRoles,
        eligibleRoles: [...requiredRoles],
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

export const HUMAN_TASKS: ReadModelDefinition<HumanTaskRow, null> = {
  name: 'human_tasks',
  version: 1,
  columns: [
    // Task ids are unique within a stream; a decision endpoint finds the task (and its stream) by id.
    { name: 'task_id', type: 'text', value: (r) => r.taskId },
    { name: 'status', type: 'text', value: (r) => r.status },
    { name: 'kind', type: 'text', value: (r) => r.kind },
    { name: 'stream', type: 'text', value: (r) => r.stream },
    { name: 'ai_system_id', type: 'text', value: (r) => r.aiSystemId },
    { name: 'eligible_roles', type: 'json-list', value: (r) => r.eligibleRoles },
    { name: 'due_at', type: 'text', orderable: true, value: (r) => r.dueAt },
  ],
  indexes: [['task_id'], ['status', 'due_at'], ['ai_system_id']],
  keyOf(event) {
    if (!isHumanTaskEvent(event.type)) return null;
    const taskId = text(event.data.taskId);
    return taskId === null || taskId === '' ? null : humanTaskKey(event.stream, taskId);
  },
  apply: applyHumanTaskEvent,
};
