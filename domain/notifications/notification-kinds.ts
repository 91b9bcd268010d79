/**
 * What people are told (ISO/IEC 42001 clause 7.4 communication, control A.8.4 communication of incidents):
 * one kind per situation someone must act on. A kind is what a person's preferences and a webhook
 * endpoint's subscription name; the event type a webhook receiver sees is `aims.<kind>`.
 *
 * Extension point: when documents and reviews exist (document review due, management review planned), add
 * their kinds here, a rule in rules.ts and a template in templates.ts; the compiler then lists every place
 * a kind must be handled.
 */
export const NOTIFICATION_KINDS = [
  'task_opened',
  'task_due',
  'task_escalated',
  'nonconformity_raised',
  'corrective_action_due',
  'corrective_action_overdue',
  'corrective_action_escalated',
  'effectiveness_review_due',
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export function isNotificationKind(value: unknown): value is NotificationKind {
  return typeof value === 'string' && (NOTIFICATION_KINDS as readonly string[]).includes(value);
}

/** Channels a person may be reached on (webhook endpoints are configured apart, not per person). */
export const PERSON_CHANNELS = ['email'] as const;
export type PersonChannel = (typeof PERSON_CHANNELS)[number];
export type NotificationChannel = PersonChannel | 'webhook';
