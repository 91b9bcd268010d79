/**
 * Nonconformities (10.2): one row per `nonconformity-<id>` stream, folded with the nonconformity domain's
 * own `evolve`. `nextActionDueAt` (the earliest due instant of an approved, unfinished corrective action)
 * lets "overdue" be answered at query time for any "now" without a timer having fired.
 */
import { evolve } from '../../../domain/nonconformity/evolve';
import type { NonconformityEvent } from '../../../domain/nonconformity/events';
import { nonconformityIdOfStream } from '../../../domain/nonconformity/identity';
import { approvedPlan, type Nonconformity, type NonconformityState } from '../../../domain/nonconformity/nonconformity';
import { awaitedSteps, type AwaitedStep } from '../../../domain/nonconformity/queries';
import { dueInstant, formatInstant } from '../../../domain/shared/iso-time';
import type { RecordedEvidenceEvent } from '../../ports/event-store.port';
import type { Projected, ReadModelDefinition } from '../../ports/read-model-store.port';

export interface OpenCorrectiveAction {
  round: number;
  planId: string;
  actionId: string;
  description: string;
  owner: string;
  dueDate: string;
  /** The instant the action falls overdue (a date alone means the end of that day, UTC). */
  dueAt: string | null;
}

export interface NonconformityRow {
  nonconformityId: string;
  stream: string;
  title: string;
  description: string;
  status: Nonconformity['status'];
  severity: Nonconformity['severity'];
  source: Nonconformity['source'];
  sourceReference: string | null;
  aiSystemIds: string[];
  annexAControlIds: string[];
  clauseIds: string[];
  raisedAt: string;
  raisedBy: { id: string; role: string };
  closedAt: string | null;
  reopenCount: number;
  round: number;
  awaiting: AwaitedStep[];
  openActions: OpenCorrectiveAction[];
  /** Earliest `dueAt` among `openActions`; overdue at T when this is at or before T. */
  nextActionDueAt: string | null;
  updatedAt: string;
  lastPosition: number;
}

function openActionsOf(nc: Nonconformity): OpenCorrectiveAction[] {
  const open: OpenCorrectiveAction[] = [];
  for (const round of nc.rounds) {
    const plan = approvedPlan(round);
    if (plan === null) continue;
    for (const action of plan.actions) {
      if (action.completion !== null) continue;
      const due = dueInstant(action.dueDate);
      open.push({
        round: round.round,
        planId: plan.planId,
        actionId: action.actionId,
        description: action.description,
        owner: action.owner,
        dueDate: action.dueDate,
        dueAt: due === null ? null : formatInstant(due),
      });
    }
  }
  return open;
}

function summarise(nc: Nonconformity, event: RecordedEvidenceEvent): NonconformityRow {
  const openActions = openActionsOf(nc);
  const dues = openActions
    .map((a) => a.dueAt)
    .filter((d): d is string => d !== null)
    .sort();
  return {
    nonconformityId: nc.id,
    stream: event.stream,
    title: nc.title,
    description: nc.description,
    status: nc.status,
    severity: nc.severity,
    source: nc.source,
    sourceReference: nc.sourceReference,
    aiSystemIds: [...nc.aiSystemIds],
    annexAControlIds: [...nc.annexAControlIds],
    clauseIds: [...nc.clauseIds],
    raisedAt: nc.raisedAt,
    raisedBy: { ...nc.raisedBy },
    closedAt: nc.closedAt,
    reopenCount: nc.reopenCount,
    round: nc.rounds[nc.rounds.length - 1]?.round ?? 1,
    awaiting: awaitedSteps(nc),
    openActions,
    nextActionDueAt: dues[0] ?? null,
    updatedAt: event.recordedAt,
    lastPosition: event.position,
  };
}

export const NONCONFORMITIES: ReadModelDefinition<NonconformityRow, NonconformityState> = {
  name: 'nonconformities',
  version: 1,
  columns: [
    { name: 'status', type: 'text', value: (r) => r.status },
    { name: 'severity', type: 'text', value: (r) => r.severity },
    { name: 'source', type: 'text', value: (r) => r.source },
    { name: 'ai_system_ids', type: 'json-list', value: (r) => r.aiSystemIds },
    { name: 'next_action_due_at', type: 'text', value: (r) => r.nextActionDueAt },
    { name: 'raised_at', type: 'text', orderable: true, value: (r) => r.raisedAt },
  ],
  indexes: [['status'], ['severity'], ['next_action_due_at']],
  keyOf: (event) => nonconformityIdOfStream(event.stream),
  apply(current: Projected<NonconformityRow, NonconformityState> | null, event: RecordedEvidenceEvent) {
    const state = evolve(current?.state ?? null, { ...event.data, type: event.type } as unknown as NonconformityEvent);
    if (state === null || state === current?.state) return current;
    return { row: summarise(state, event), state };
  },
};
