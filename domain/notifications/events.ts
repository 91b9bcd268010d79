/**
 * Communication evidence (clause 7.4: what is communicated, when, to whom): every delivery attempt and its
 * outcome, in stream `notification-<sourceEventId>`. Each event names the source event (id, stream,
 * position), the recipient (person or endpoint id), the channel, the kind and the attempt, so an auditor
 * can show who was told what and when. Never an address's secret: webhook endpoints appear by id and
 * origin, and failure texts are redacted of every configured secret before they are recorded.
 */
import type { NotificationChannel, NotificationKind } from './notification-kinds';

export const NOTIFICATION_CATEGORY = 'notification';

export function notificationStream(sourceEventId: string): string {
  return `${NOTIFICATION_CATEGORY}-${sourceEventId}`;
}

/** One source event notifies at most once: the workflow id is derived from it. */
export function notificationWorkflowId(sourceEventId: string): string {
  return `notify-${sourceEventId}`;
}

export type NotificationSourceRef = { eventId: string; stream: string; position: number; type: string };

type DeliveryBase = {
  deliveryId: string;
  kind: NotificationKind;
  source: NotificationSourceRef;
  recipient: { type: 'person' | 'webhook'; id: string };
  channel: NotificationChannel;
  subject: string;
  at: string;
};

export type NotificationDelivered = DeliveryBase & {
  type: 'NotificationDelivered';
  attempt: number;
  /** The address or endpoint origin the message went to (never a URL path or query, which may hold a token). */
  destination: string;
  /** The SMTP message id, or null for webhooks. */
  messageId: string | null;
  /** The HTTP status, or null for e-mail. */
  httpStatus: number | null;
};

export type NotificationAttemptFailed = DeliveryBase & {
  type: 'NotificationAttemptFailed';
  attempt: number;
  destination: string | null;
  httpStatus: number | null;
  error: string;
  /** When the next attempt is due; null when this was the last. */
  retryAt: string | null;
};

export type NotificationAbandoned = DeliveryBase & { type: 'NotificationAbandoned'; attempts: number; lastError: string };

/** An intent that reached nobody (no one in the directory holds the role): recorded, so the gap shows. */
export type NotificationUnaddressed = {
  type: 'NotificationUnaddressed';
  kind: NotificationKind;
  source: NotificationSourceRef;
  audience: { roles: string[]; people: string[] };
  at: string;
};

export type NotificationEvent = NotificationDelivered | NotificationAttemptFailed | NotificationAbandoned | NotificationUnaddressed;

/** Clauses and Annex A controls this evidence supports. */
export const NOTIFICATION_ISO_42001_REFERENCES: Readonly<Record<NotificationEvent['type'], readonly string[]>> = {
  NotificationDelivered: ['7.4', 'A.8.4'],
  NotificationAttemptFailed: ['7.4', 'A.8.4'],
  NotificationAbandoned: ['7.4', 'A.8.4'],
  NotificationUnaddressed: ['7.4'],
};
