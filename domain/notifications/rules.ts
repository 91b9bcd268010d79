/**
 * Which recorded events tell whom about what: `notificationsFor(event)` is pure, so the notifier (which
 * decides whether to start a notification workflow) and the workflow (which delivers) agree by
 * construction. An intent names an audience by roles and/or person ids, never addresses: the directory
 * resolves those at delivery time (directory.ts).
 */
import type { JsonObject, JsonValue } from '../shared/json';
import { isAimsRole, type AimsRole } from '../shared/roles';
import type { NotificationKind } from './notification-kinds';

/** The recorded event a notification is about, as the evidence store delivers it. */
export interface SourceEvent {
  id: string;
  stream: string;
  position: number;
  type: string;
  recordedAt: string;
  data: JsonObject;
}

export interface NotificationAudience {
  roles: AimsRole[];
  people: string[];
}

/** The facts a template may show; null when the event has none of that kind. */
export interface NotificationFacts {
  systemId: string | null;
  taskId: string | null;
  taskKind: string | null;
  nonconformityId: string | null;
  actionId: string | null;
  title: string | null;
  severity: string | null;
  source: string | null;
  dueAt: string | null;
  escalatedTo: string | null;
}

export interface NotificationIntent {
  kind: NotificationKind;
  audience: NotificationAudience;
  facts: NotificationFacts;
}

const AI_SYSTEM_STREAM = 'ai-system-';
const NONCONFORMITY_STREAM = 'nonconformity-';
/** Nonconformities that need people's attention at once: opened by a monitoring breach or an incident. */
const URGENT_SOURCES = ['monitoring_breach', 'incident'];
/** Who hears of an urgent nonconformity: accountable for the AIMS and for risk treatment (5.3, 6.1.3). */
const URGENT_AUDIENCE: AimsRole[] = ['aims_owner', 'risk_owner'];
/** Who may record an effectiveness review (domain/nonconformity/authority.ts). */
const REVIEWERS: AimsRole[] = ['aims_owner', 'risk_owner', 'validator'];

function text(data: JsonObject, key: string): string | null {
  const value: JsonValue | undefined = data[key];
  return typeof value === 'string' ? value : null;
}

function roles(value: JsonValue | undefined): AimsRole[] {
  return Array.isArray(value) ? value.filter(isAimsRole) : [];
}

function stringList(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function emptyFacts(): NotificationFacts {
  return {
    systemId: null,
    taskId: null,
    taskKind: null,
    nonconformityId: null,
    actionId: null,
    title: null,
    severity: null,
    source: null,
    dueAt: null,
    escalatedTo: null,
  };
}

/** A role when the value names one, otherwise a person id (a corrective action's owner is a person). */
function audienceOf(who: string | null): NotificationAudience {
  if (who === null) return { roles: [], people: [] };
  return isAimsRole(who) ? { roles: [who], people: [] } : { roles: [], people: [who] };
}

function taskFacts(event: SourceEvent): NotificationFacts {
  const systemId = event.stream.startsWith(AI_SYSTEM_STREAM) ? event.stream.slice(AI_SYSTEM_STREAM.length) : null;
  return {
    ...emptyFacts(),
    systemId,
    taskId: text(event.data, 'taskId'),
    taskKind: text(event.data, 'kind'),
    dueAt: text(event.data, 'dueAt'),
  };
}

function actionFacts(event: SourceEvent): NotificationFacts {
  return {
    ...emptyFacts(),
    nonconformityId: text(event.data, 'nonconformityId'),
    actionId: text(event.data, 'actionId'),
    dueAt: text(event.data, 'dueDate'),
    escalatedTo: text(event.data, 'escalatedTo'),
  };
}

type Rule = (event: SourceEvent) => NotificationIntent[];

/** One rule per notifiable event type (human tasks of every process share their event names). */
const RULES: Readonly<Record<string, Rule>> = {
  // A task that names its one person (a document's acknowledgement) tells that person, not every holder of its roles.
  HumanTaskOpened: (event) => [
    {
      kind: 'task_opened',
      audience:
        text(event.data, 'assignee') === null
          ? { roles: roles(event.data.requiredRoles), people: [] }
          : audienceOf(text(event.data, 'assignee')),
      facts: taskFacts(event),
    },
  ],
  HumanTaskReminderSent: (event) => [
    {
      kind: 'task_due',
      audience: { roles: roles(event.data.notifiedRoles), people: stringList(event.data.notifiedPeople) },
      facts: taskFacts(event),
    },
  ],
  HumanTaskEscalated: (event) => {
    const escalatedTo = text(event.data, 'escalatedTo');
    return [{ kind: 'task_escalated', audience: audienceOf(escalatedTo), facts: { ...taskFacts(event), escalatedTo } }];
  },
  NonconformityRaised: (event) => {
    const source = text(event.data, 'source');
    if (source === null || !URGENT_SOURCES.includes(source)) return [];
    const systems = stringList(event.data.aiSystemIds);
    const facts: NotificationFacts = {
      ...emptyFacts(),
      nonconformityId: text(event.data, 'nonconformityId'),
      systemId: systems.length === 1 ? (systems[0] ?? null) : null,
      title: text(event.data, 'title'),
      severity: text(event.data, 'severity'),
      source,
    };
    return [{ kind: 'nonconformity_raised', audience: { roles: URGENT_AUDIENCE, people: [] }, facts }];
  },
  CorrectiveActionReminderIssued: (event) => [
    { kind: 'corrective_action_due', audience: audienceOf(text(event.data, 'owner')), facts: actionFacts(event) },
  ],
  CorrectiveActionOverdue: (event) => [
    { kind: 'corrective_action_overdue', audience: audienceOf(text(event.data, 'owner')), facts: actionFacts(event) },
  ],
  CorrectiveActionEscalated: (event) => [
    { kind: 'corrective_action_escalated', audience: audienceOf(text(event.data, 'escalatedTo')), facts: actionFacts(event) },
  ],
  EffectivenessReviewDue: (event) => [
    {
      kind: 'effectiveness_review_due',
      audience: { roles: REVIEWERS, people: [] },
      facts: { ...emptyFacts(), nonconformityId: text(event.data, 'nonconformityId'), dueAt: text(event.data, 'dueAt') },
    },
  ],
};

/** The event types that may notify anyone: what the notifier subscribes to. */
export const NOTIFIABLE_EVENT_TYPES: readonly string[] = Object.keys(RULES);

/** The notifications an event calls for; empty for every other event (and for one nobody is named in). */
export function notificationsFor(event: SourceEvent): NotificationIntent[] {
  if (!Object.prototype.hasOwnProperty.call(RULES, event.type)) return [];
  const rule = RULES[event.type];
  if (rule === undefined) return [];
  // Nonconformity events name their record in data; fall back to the stream for older shapes.
  const intents = rule(event).map((intent) =>
    intent.facts.nonconformityId === null && event.stream.startsWith(NONCONFORMITY_STREAM)
      ? { ...intent, facts: { ...intent.facts, nonconformityId: event.stream.slice(NONCONFORMITY_STREAM.length) } }
      : intent,
  );
  return intents.filter((intent) => intent.audience.roles.length > 0 || intent.audience.people.length > 0);
}
