/**
 * One notification workflow per notifiable source event (workflow id `notify-<eventId>`, started with
 * REJECT_DUPLICATE, so an event never notifies twice). It plans in an activity (the event read from the
 * evidence, the directory resolved), then delivers to each recipient at once, each delivery with its own
 * backoff loop: an activity call per attempt (no Temporal retries), so every failed attempt is recorded
 * as evidence before the next, and after the bound the delivery is recorded as abandoned.
 */
import { ActivityFailure, ApplicationFailure, proxyActivities, sleep, uuid4 } from '@temporalio/workflow';
import type { DeliveryOutcome, DeliveryRequest, NotificationActivities, PlannedIntent } from '../activities/notification.activities';
import { NOTIFICATION_ISO_42001_REFERENCES, notificationStream, type NotificationSourceRef, type Recipient } from '../domain/notifications';
import type { JsonObject } from '../domain/shared/json';
import { recordEvidence } from './evidence-recorder';
import {
  DEFAULT_NOTIFICATION_RETRY,
  type NotificationRetryPolicy,
  type NotificationWorkflowInput,
  type NotificationWorkflowResult,
} from './notification.messages';

const { planNotifications } = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: ['NOTIFICATION_SOURCE_NOT_FOUND', 'NOTIFICATIONS_NOT_CONFIGURED'],
  },
});

// One try per call: the workflow's own loop retries, so each attempt leaves its evidence.
const { deliverEmail, deliverWebhook } = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 1 },
});

type Outcome = 'delivered' | 'abandoned';

function bounded(policy: NotificationRetryPolicy | undefined): NotificationRetryPolicy {
  const p = policy ?? DEFAULT_NOTIFICATION_RETRY;
  const clamp = (v: number, lo: number, hi: number, fallback: number): number =>
    Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : fallback;
  return {
    maxAttempts: Math.floor(clamp(p.maxAttempts, 1, 50, DEFAULT_NOTIFICATION_RETRY.maxAttempts)),
    initialIntervalMs: clamp(p.initialIntervalMs, 10, 86_400_000, DEFAULT_NOTIFICATION_RETRY.initialIntervalMs),
    backoffCoefficient: clamp(p.backoffCoefficient, 1, 10, DEFAULT_NOTIFICATION_RETRY.backoffCoefficient),
    maxIntervalMs: clamp(p.maxIntervalMs, 10, 7 * 86_400_000, DEFAULT_NOTIFICATION_RETRY.maxIntervalMs),
  };
}

function failureText(error: unknown): string {
  if (error instanceof ActivityFailure) return `${error.cause?.name ?? 'ActivityFailure'}: ${error.cause?.message ?? error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

async function deliver(
  stream: string,
  source: NotificationSourceRef,
  intent: PlannedIntent,
  recipient: Recipient,
  retry: NotificationRetryPolicy,
): Promise<Outcome> {
  const deliveryId = `dlv_${uuid4().replace(/-/g, '')}`;
  const base = {
    deliveryId,
    kind: intent.kind,
    source,
    recipient: { type: recipient.type, id: recipient.id },
    channel: recipient.channel,
    subject: intent.message.subject,
  };
  const request: Omit<DeliveryRequest, 'attempt'> = {
    deliveryId,
    kind: intent.kind,
    recipient,
    message: intent.message,
    facts: intent.facts,
    source,
  };
  let lastError = '';
  for (let attempt = 1; ; attempt++) {
    let outcome: DeliveryOutcome;
    try {
      outcome = await (recipient.channel === 'email' ? deliverEmail : deliverWebhook)({ ...request, attempt });
    } catch (error) {
      // A timed-out or crashed activity: the attempt failed; the workflow decides whether to try again.
      outcome = {
        ok: false,
        at: new Date().toISOString(),
        destination: null,
        httpStatus: null,
        error: failureText(error).slice(0, 500),
        permanent: false,
      };
    }
    if (outcome.ok) {
      const data = {
        ...base,
        attempt,
        destination: outcome.destination,
        messageId: outcome.messageId,
        httpStatus: outcome.httpStatus,
        at: outcome.at,
      };
      await recordEvidence(stream, [
        { type: 'NotificationDelivered', data, references: NOTIFICATION_ISO_42001_REFERENCES.NotificationDelivered },
      ]);
      return 'delivered';
    }
    lastError = outcome.error;
    const last = outcome.permanent || attempt >= retry.maxAttempts;
    const delay = Math.min(retry.maxIntervalMs, retry.initialIntervalMs * retry.backoffCoefficient ** (attempt - 1));
    const retryAt = last ? null : new Date(Date.now() + delay).toISOString();
    const failed = {
      ...base,
      attempt,
      destination: outcome.destination,
      httpStatus: outcome.httpStatus,
      error: outcome.error,
      retryAt,
      at: outcome.at,
    };
    await recordEvidence(stream, [
      { type: 'NotificationAttemptFailed', data: failed, references: NOTIFICATION_ISO_42001_REFERENCES.NotificationAttemptFailed },
    ]);
    if (last) {
      await recordEvidence(stream, [
        {
          type: 'NotificationAbandoned',
          data: { ...base, attempts: attempt, lastError, at: new Date().toISOString() },
          references: NOTIFICATION_ISO_42001_REFERENCES.NotificationAbandoned,
        },
      ]);
      return 'abandoned';
    }
    await sleep(delay);
  }
}

export async function notification(input: NotificationWorkflowInput): Promise<NotificationWorkflowResult> {
  if (typeof input?.sourceEventId !== 'string' || !Number.isSafeInteger(input.sourcePosition)) {
    throw ApplicationFailure.nonRetryable('A notification needs { sourceEventId, sourcePosition }', 'VALIDATION_FAILED');
  }
  const retry = bounded(input.retry);
  const plan = await planNotifications({ eventId: input.sourceEventId, position: input.sourcePosition });
  const stream = notificationStream(plan.source.eventId);
  const result: NotificationWorkflowResult = { delivered: 0, abandoned: 0, unaddressed: 0 };
  const unaddressed = plan.intents.filter((intent) => intent.recipients.length === 0);
  if (unaddressed.length > 0) {
    await recordEvidence(
      stream,
      unaddressed.map((intent) => {
        const data: JsonObject = {
          kind: intent.kind,
          source: plan.source,
          audience: { roles: intent.audience.roles, people: intent.audience.people },
          at: new Date().toISOString(),
        };
        return { type: 'NotificationUnaddressed', data, references: NOTIFICATION_ISO_42001_REFERENCES.NotificationUnaddressed };
      }),
    );
    result.unaddressed = unaddressed.length;
  }
  const outcomes = await Promise.all(
    plan.intents.flatMap((intent) => intent.recipients.map((recipient) => deliver(stream, plan.source, intent, recipient, retry))),
  );
  for (const outcome of outcomes) result[outcome] += 1;
  return result;
}
