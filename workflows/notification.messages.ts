/** What starts a notification workflow, and what it answers: imported by the notifier, never the workflow code. */
export const NOTIFICATION_WORKFLOW_TYPE = 'notification';

export interface NotificationRetryPolicy {
  /** Attempts per delivery, first included (bounded to 1..50 by the workflow). */
  maxAttempts: number;
  initialIntervalMs: number;
  backoffCoefficient: number;
  maxIntervalMs: number;
}

export const DEFAULT_NOTIFICATION_RETRY: NotificationRetryPolicy = {
  maxAttempts: 10,
  initialIntervalMs: 5_000,
  backoffCoefficient: 4,
  maxIntervalMs: 6 * 60 * 60_000,
};

/** Only a reference: the workflow reads the event itself from the evidence. */
export interface NotificationWorkflowInput {
  sourceEventId: string;
  sourcePosition: number;
  retry?: NotificationRetryPolicy;
}

export interface NotificationWorkflowResult {
  delivered: number;
  abandoned: number;
  unaddressed: number;
}
