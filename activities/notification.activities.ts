/**
 * Notification side effects: planning reads the source event from the evidence (a workflow's input is
 * never trusted for what to say: anyone who reaches Temporal can start a workflow) and resolves it against
 * the directory; delivery sends one message on one channel, once (the workflow retries and records each
 * attempt). Outcomes are returned, not thrown, so the workflow can record why an attempt failed; every
 * text that may reach the evidence is redacted of the configured secrets.
 */
import { ApplicationFailure } from '@temporalio/activity';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import {
  notificationsFor,
  renderNotification,
  resolveRecipients,
  type NotificationAudience,
  type NotificationFacts,
  type NotificationKind,
  type NotificationSourceRef,
  type Recipient,
  type RenderedMessage,
  type SourceEvent,
} from '../domain/notifications';
import type { EventStore } from '../infra/ports/event-store.port';
import { webhookHeaders } from '../infra/notifications/standard-webhooks';
import type { NotificationSettings } from '../infra/config/notification-config';

export type { NotificationSettings };

export interface PlannedIntent {
  kind: NotificationKind;
  audience: NotificationAudience;
  facts: NotificationFacts;
  message: RenderedMessage;
  recipients: Recipient[];
}

export interface NotificationPlan {
  source: NotificationSourceRef;
  intents: PlannedIntent[];
}

export interface DeliveryRequest {
  deliveryId: string;
  kind: NotificationKind;
  recipient: Recipient;
  message: RenderedMessage;
  facts: NotificationFacts;
  source: NotificationSourceRef;
  attempt: number;
}

export type DeliveryOutcome =
  | { ok: true; at: string; destination: string; messageId: string | null; httpStatus: number | null }
  | { ok: false; at: string; destination: string | null; httpStatus: number | null; error: string; permanent: boolean };

export interface NotificationActivities {
  planNotifications(input: { eventId: string; position: number }): Promise<NotificationPlan>;
  deliverEmail(request: DeliveryRequest): Promise<DeliveryOutcome>;
  deliverWebhook(request: DeliveryRequest): Promise<DeliveryOutcome>;
}

const MAX_ERROR_TEXT = 500;

/** Every configured secret (webhook secrets, their key text, the SMTP URL's password) replaced. */
export function redactSecrets(text: string, settings: NotificationSettings | null): string {
  if (settings === null) return text;
  const secrets: string[] = [];
  for (const hook of settings.directory.webhooks) secrets.push(hook.secret, hook.secret.slice('whsec_'.length));
  if (settings.smtp !== null) {
    try {
      const password = new URL(settings.smtp.url).password;
      if (password !== '') secrets.push(password, decodeURIComponent(password));
    } catch {
      // An unparsable URL was refused at start-up; nothing to add.
    }
  }
  let out = text;
  for (const secret of secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)) out = out.split(secret).join('[redacted]');
  return out.length > MAX_ERROR_TEXT ? `${out.slice(0, MAX_ERROR_TEXT)}…` : out;
}

function failure(
  settings: NotificationSettings | null,
  error: unknown,
  extra: { destination: string | null; httpStatus?: number | null; permanent?: boolean },
): DeliveryOutcome {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    ok: false,
    at: new Date().toISOString(),
    destination: extra.destination,
    httpStatus: extra.httpStatus ?? null,
    error: redactSecrets(text, settings),
    permanent: extra.permanent ?? false,
  };
}

export function createNotificationActivities(store: EventStore, settings: NotificationSettings | null): NotificationActivities {
  let transport: Transporter | undefined;
  const mailer = (smtp: { url: string }): Transporter =>
    (transport ??= nodemailer.createTransport({
      url: smtp.url,
      // Bounded below the activity's timeout, so a silent server fails the attempt rather than the call.
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
    }));

  return {
    async planNotifications({ eventId, position }) {
      if (settings === null)
        throw ApplicationFailure.nonRetryable('Notifications are not configured on this worker', 'NOTIFICATIONS_NOT_CONFIGURED');
      let found: SourceEvent | undefined;
      for await (const event of store.readAll({ fromPosition: position, toPosition: position, maxCount: 1 })) found = event;
      if (found === undefined || found.id !== eventId) {
        throw ApplicationFailure.nonRetryable(`No recorded event ${eventId} at position ${position}`, 'NOTIFICATION_SOURCE_NOT_FOUND');
      }
      const source: SourceEvent = {
        id: found.id,
        stream: found.stream,
        position: found.position,
        type: found.type,
        recordedAt: found.recordedAt,
        data: found.data,
      };
      const intents = notificationsFor(source).map((intent) => ({
        ...intent,
        message: renderNotification(intent, settings.publicUrl),
        recipients: resolveRecipients(intent, settings.directory),
      }));
      return { source: { eventId: source.id, stream: source.stream, position: source.position, type: source.type }, intents };
    },

    async deliverEmail(request) {
      const person = settings?.directory.people.find((p) => p.id === request.recipient.id);
      if (settings === null || person === undefined) {
        return failure(settings, new Error(`${request.recipient.id} is no longer in the notification directory`), {
          destination: null,
          permanent: true,
        });
      }
      if (settings.smtp === null)
        return failure(settings, new Error('E-mail is not configured (AIMS_SMTP_URL)'), { destination: person.email, permanent: true });
      try {
        const info = (await mailer(settings.smtp).sendMail({
          from: settings.smtp.from,
          to: person.email,
          subject: request.message.subject,
          text: request.message.text,
          headers: { 'X-AIMS-Delivery-Id': request.deliveryId, 'X-AIMS-Notification-Kind': request.kind },
        })) as { messageId?: string };
        return { ok: true, at: new Date().toISOString(), destination: person.email, messageId: info.messageId ?? null, httpStatus: null };
      } catch (error) {
        return failure(settings, error, { destination: person.email });
      }
    },

    async deliverWebhook(request) {
      const hook = settings?.directory.webhooks.find((w) => w.id === request.recipient.id);
      if (settings === null || hook === undefined) {
        return failure(settings, new Error(`Webhook endpoint ${request.recipient.id} is no longer configured`), {
          destination: null,
          permanent: true,
        });
      }
      // The origin only: a path or query may itself be a bearer token (chat webhooks), so it is not recorded.
      const destination = new URL(hook.url).origin;
      const at = new Date();
      const body = JSON.stringify({
        type: `aims.${request.kind}`,
        timestamp: at.toISOString(),
        data: {
          deliveryId: request.deliveryId,
          kind: request.kind,
          subject: request.message.subject,
          text: request.message.text,
          links: request.message.links,
          facts: request.facts,
          source: request.source,
        },
      });
      const headers = webhookHeaders({ id: request.deliveryId, timestamp: Math.floor(at.getTime() / 1000), body, secret: hook.secret });
      try {
        const response = await fetch(hook.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'aims-notifier', ...headers },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(settings.webhookTimeoutMs),
        });
        await response.body?.cancel().catch(() => undefined);
        if (response.status >= 200 && response.status < 300)
          return { ok: true, at: new Date().toISOString(), destination, messageId: null, httpStatus: response.status };
        // 410 Gone: the receiver wants no more (the specification's advice); anything else may recover.
        return failure(settings, new Error(`HTTP ${response.status}`), {
          destination,
          httpStatus: response.status,
          permanent: response.status === 410,
        });
      } catch (error) {
        return failure(settings, error, { destination });
      }
    },
  };
}
