/**
 * Where an Update's time goes between the Temporal server and the worker, read from the workflow's own
 * history: the workflow task that accepted the Update was scheduled, started (taken by the worker) and
 * completed at times the server stamped. Started − scheduled is the server's dispatch to the worker;
 * completed − started is the worker's turn (the workflow code, its local activity appending the evidence,
 * and the trip back). What the caller saw beyond the two is the server's own work before and after (and
 * the gRPC hops). The events the completion wrote say how much history each Update adds.
 */
import type { WorkflowClient } from '@temporalio/client';

export interface UpdateTaskTimes {
  dispatchMs: number;
  workerMs: number;
  /** History events written by the task's completion (the Update's accepted/completed, markers, timers). */
  events: number;
}

export type HistoryEvent = NonNullable<Awaited<ReturnType<ReturnType<WorkflowClient['getHandle']>['fetchHistory']>>['events']>[number];

/** Milliseconds from one event to a later one, from seconds and nanoseconds apart (exact, unlike epoch ms in a double). */
function betweenMs(from: HistoryEvent, to: HistoryEvent): number {
  const [a, b] = [from.eventTime, to.eventTime];
  if (a == null || b == null) throw new Error(`history event ${String(a == null ? from.eventId : to.eventId)} has no time`);
  return (Number(b.seconds ?? 0) - Number(a.seconds ?? 0)) * 1000 + ((b.nanos ?? 0) - (a.nanos ?? 0)) / 1e6;
}

function lastIndex(events: HistoryEvent[], end: number, match: (e: HistoryEvent) => boolean): number {
  for (let i = end - 1; i >= 0; i--) if (match(events[i])) return i;
  return -1;
}

/** The workflow task that accepted the last Update of a history; `name` says whose history, for errors. */
export function lastUpdateTaskOf(events: HistoryEvent[], name: string): UpdateTaskTimes {
  const accepted = lastIndex(events, events.length, (e) => e.workflowExecutionUpdateAcceptedEventAttributes != null);
  if (accepted < 0) throw new Error(`${name}: no Update accepted in its history`);
  const completed = lastIndex(events, accepted, (e) => e.workflowTaskCompletedEventAttributes != null);
  const started = events[completed - 1];
  const scheduled = events[completed - 2];
  if (started?.workflowTaskStartedEventAttributes == null || scheduled?.workflowTaskScheduledEventAttributes == null)
    throw new Error(`${name}: the task that accepted its last Update is not scheduled, started, completed`);
  const next = events.findIndex((e, i) => i > completed && e.workflowTaskScheduledEventAttributes != null);
  return {
    dispatchMs: betweenMs(scheduled, started),
    workerMs: betweenMs(started, events[completed]),
    events: (next < 0 ? events.length : next) - completed - 1,
  };
}

/** The workflow task that accepted the last Update of a workflow. */
export async function lastUpdateTask(client: WorkflowClient, workflowId: string): Promise<UpdateTaskTimes> {
  return lastUpdateTaskOf((await client.getHandle(workflowId).fetchHistory()).events ?? [], workflowId);
}

/** Means over the workflows (their last Updates), read a few at a time. */
export async function meanUpdateTask(client: WorkflowClient, workflowIds: string[]): Promise<UpdateTaskTimes & { updates: number }> {
  const all: UpdateTaskTimes[] = [];
  for (let i = 0; i < workflowIds.length; i += 8)
    all.push(...(await Promise.all(workflowIds.slice(i, i + 8).map((id) => lastUpdateTask(client, id)))));
  const mean = (pick: (t: UpdateTaskTimes) => number) => all.reduce((a, t) => a + pick(t), 0) / Math.max(all.length, 1);
  return { updates: all.length, dispatchMs: mean((t) => t.dispatchMs), workerMs: mean((t) => t.workerMs), events: mean((t) => t.events) };
}
