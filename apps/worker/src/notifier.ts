/**
 * The notifier: a catch-up subscription over the evidence that starts one notification workflow per
 * notifiable event. Its position is kept beside the evidence (notifier-position-store.ts) and saved after
 * each event is handed to Temporal, so a restart resumes where it stopped: an event is never skipped, and
 * one started twice (a crash between start and save, or two workers) is refused by Temporal, since the
 * workflow id is derived from the event and reuse is rejected even after the first run closed.
 *
 * A notifier that never ran starts at the head of the evidence: enabling notifications on a deployment
 * with history tells nobody about the past.
 */
import { WorkflowExecutionAlreadyStartedError, type WorkflowClient } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { NOTIFIABLE_EVENT_TYPES, notificationsFor, notificationWorkflowId } from '../../../domain/notifications';
import type { NotifierPositionStore } from '../../../infra/notifications/notifier-position-store';
import type { EventStore, RecordedEvidenceEvent } from '../../../infra/ports/event-store.port';
import {
  NOTIFICATION_WORKFLOW_TYPE,
  type NotificationRetryPolicy,
  type NotificationWorkflowInput,
} from '../../../workflows/notification.messages';

export interface NotifierOptions {
  store: EventStore;
  positions: NotifierPositionStore;
  client: WorkflowClient;
  taskQueue: string;
  /** The row its position is kept under (default `notifier`). */
  name?: string;
  retry?: NotificationRetryPolicy;
  /** How often to look for appends by other processes (default 1 s). */
  pollIntervalMs?: number;
  /** Wait after a failure (Temporal or the database unreachable) before resuming from the saved position. */
  retryDelayMs?: number;
  onError?: (error: unknown) => void;
}

export class Notifier {
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private readonly name: string;
  /** Notifiable events handed to Temporal since this notifier began, and how many of them started a workflow. */
  handed = 0;
  started = 0;

  constructor(private readonly options: NotifierOptions) {
    this.name = options.name ?? 'notifier';
  }

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        await this.follow();
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.options.onError?.(error);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.retryDelayMs ?? 5_000);
          this.abort.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
        });
      }
    }
  }

  private async follow(): Promise<void> {
    const { store, positions } = this.options;
    let from = await positions.get(this.name);
    if (from === null) {
      from = (await store.head())?.position ?? 0;
      await positions.save(this.name, from);
    }
    const subscription = store.subscribe({
      fromCheckpoint: from,
      types: [...NOTIFIABLE_EVENT_TYPES],
      pollIntervalMs: this.options.pollIntervalMs ?? 1_000,
      signal: this.abort.signal,
    });
    for await (const event of subscription) {
      await this.notify(event);
      await positions.save(this.name, event.position);
    }
  }

  private async notify(event: RecordedEvidenceEvent): Promise<void> {
    if (notificationsFor(event).length === 0) return;
    this.handed += 1;
    const input: NotificationWorkflowInput = {
      sourceEventId: event.id,
      sourcePosition: event.position,
      ...(this.options.retry === undefined ? {} : { retry: this.options.retry }),
    };
    try {
      await this.options.client.start(NOTIFICATION_WORKFLOW_TYPE, {
        workflowId: notificationWorkflowId(event.id),
        taskQueue: this.options.taskQueue,
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
      this.started += 1;
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
}
