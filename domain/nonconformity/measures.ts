/**
 * Clause 9.1 measures of the corrective-action process, as pure functions over nonconformity states (or a
 * fold over their events). Results are plain JSON, so they can be served by the API or kept as evidence of
 * the monitoring results.
 */
import { findAnnexAControl } from '../catalogue/annex-a-controls';
import { findClause } from '../catalogue/clauses';
import type { NonconformityEvent } from './events';
import { evolve } from './evolve';
import {
  NONCONFORMITY_SEVERITIES,
  NONCONFORMITY_STATUSES,
  type Nonconformity,
  type NonconformitySeverity,
  type NonconformityStatus,
} from './nonconformity';
import { overdueActionsOf, type OverdueCorrectiveAction } from './queries';
import { parseInstant } from '../shared/iso-time';

const MS_PER_DAY = 86_400_000;

/** Code-unit order: unlike localeCompare it does not depend on the machine's locale, so replays agree. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function zeroByStatus(): Record<NonconformityStatus, number> {
  return Object.fromEntries(NONCONFORMITY_STATUSES.map((s) => [s, 0])) as Record<NonconformityStatus, number>;
}

function bySeverityOf<T>(make: () => T): Record<NonconformitySeverity, T> {
  return Object.fromEntries(NONCONFORMITY_SEVERITIES.map((s) => [s, make()])) as Record<NonconformitySeverity, T>;
}

export function countByStatus(states: readonly Nonconformity[]): Record<NonconformityStatus, number> {
  const counts = zeroByStatus();
  for (const nc of states) counts[nc.status] += 1;
  return counts;
}

export function countBySeverity(states: readonly Nonconformity[]): Record<NonconformitySeverity, number> {
  const counts = bySeverityOf(() => 0);
  for (const nc of states) counts[nc.severity] += 1;
  return counts;
}

export function countBySeverityAndStatus(
  states: readonly Nonconformity[],
): Record<NonconformitySeverity, Record<NonconformityStatus, number>> {
  const counts = bySeverityOf(zeroByStatus);
  for (const nc of states) counts[nc.severity][nc.status] += 1;
  return counts;
}

export type TimeToClose = {
  closedCount: number;
  /** Mean of raise-to-closure times in whole milliseconds; null when nothing is closed. */
  meanMs: number | null;
  /** The same in days, to two decimals. */
  meanDays: number | null;
};

function timeToCloseOf(states: readonly Nonconformity[]): TimeToClose {
  let closedCount = 0;
  let totalMs = 0;
  for (const nc of states) {
    if (nc.status !== 'closed' || nc.closedAt === null) continue;
    closedCount += 1;
    totalMs += (parseInstant(nc.closedAt) as number) - (parseInstant(nc.raisedAt) as number);
  }
  if (closedCount === 0) return { closedCount, meanMs: null, meanDays: null };
  const meanMs = Math.round(totalMs / closedCount);
  return { closedCount, meanMs, meanDays: Math.round((meanMs / MS_PER_DAY) * 100) / 100 };
}

/** Mean time from raising to closure, over closed nonconformities, overall and per severity. */
export function meanTimeToClose(
  states: readonly Nonconformity[],
): TimeToClose & { bySeverity: Record<NonconformitySeverity, TimeToClose> } {
  const bySeverity = bySeverityOf<TimeToClose>(() => ({ closedCount: 0, meanMs: null, meanDays: null }));
  for (const severity of NONCONFORMITY_SEVERITIES) bySeverity[severity] = timeToCloseOf(states.filter((nc) => nc.severity === severity));
  return { ...timeToCloseOf(states), bySeverity };
}

/** Every corrective action overdue at `at`, most overdue first. */
export function overdueCorrectiveActions(states: readonly Nonconformity[], at: string): OverdueCorrectiveAction[] {
  return states
    .flatMap((nc) => overdueActionsOf(nc, at))
    .sort(
      (a, b) => b.overdueByMs - a.overdueByMs || compareText(a.nonconformityId, b.nonconformityId) || compareText(a.actionId, b.actionId),
    );
}

export type ReopenedCorrection = {
  nonconformityId: string;
  severity: NonconformitySeverity;
  status: NonconformityStatus;
  reopenCount: number;
  ineffectiveReviews: { round: number; reviewedAt: string; reviewedBy: string; findings: string }[];
};

export type ReopenedCorrections = {
  /** Effectiveness reviews that found a correction ineffective. */
  ineffectiveReviewCount: number;
  /** Nonconformities reopened at least once. */
  reopenedNonconformityCount: number;
  /** Share of recorded effectiveness reviews that were ineffective (0–1, four decimals); null when none. */
  ineffectiveShare: number | null;
  nonconformities: ReopenedCorrection[];
};

/** Corrections that did not work: the reviews that found them ineffective and the reopenings they caused. */
export function reopenedCorrections(states: readonly Nonconformity[]): ReopenedCorrections {
  let reviews = 0;
  let ineffective = 0;
  const nonconformities: ReopenedCorrection[] = [];
  for (const nc of states) {
    const ineffectiveReviews: ReopenedCorrection['ineffectiveReviews'] = [];
    for (const round of nc.rounds) {
      const result = round.effectivenessReview?.result ?? null;
      if (result === null) continue;
      reviews += 1;
      if (result.outcome === 'ineffective') {
        ineffectiveReviews.push({
          round: round.round,
          reviewedAt: result.reviewedAt,
          reviewedBy: result.reviewedBy.id,
          findings: result.findings,
        });
      }
    }
    ineffective += ineffectiveReviews.length;
    if (nc.reopenCount > 0 || ineffectiveReviews.length > 0) {
      nonconformities.push({
        nonconformityId: nc.id,
        severity: nc.severity,
        status: nc.status,
        reopenCount: nc.reopenCount,
        ineffectiveReviews,
      });
    }
  }
  nonconformities.sort((a, b) => b.reopenCount - a.reopenCount || compareText(a.nonconformityId, b.nonconformityId));
  return {
    ineffectiveReviewCount: ineffective,
    reopenedNonconformityCount: nonconformities.filter((n) => n.reopenCount > 0).length,
    ineffectiveShare: reviews === 0 ? null : Math.round((ineffective / reviews) * 10_000) / 10_000,
    nonconformities,
  };
}

export type Recurrence = {
  /** The AI system, control or clause id. */
  id: string;
  /** The catalogue title for controls and clauses; null for AI systems. */
  title: string | null;
  nonconformityCount: number;
  openCount: number;
  /** Reopenings (ineffective corrections) among those nonconformities. */
  reopenCount: number;
  /** More than one nonconformity concerned it. */
  recurring: boolean;
  firstRaisedAt: string;
  lastRaisedAt: string;
  /** Oldest first. */
  nonconformityIds: string[];
};

function recurrenceBy(
  states: readonly Nonconformity[],
  keysOf: (nc: Nonconformity) => string[],
  titleOf: (id: string) => string | null,
): Recurrence[] {
  const ordered = [...states].sort(
    (a, b) => (parseInstant(a.raisedAt) as number) - (parseInstant(b.raisedAt) as number) || compareText(a.id, b.id),
  );
  const byKey = new Map<string, Recurrence>();
  for (const nc of ordered) {
    for (const key of new Set(keysOf(nc))) {
      const entry = byKey.get(key) ?? {
        id: key,
        title: titleOf(key),
        nonconformityCount: 0,
        openCount: 0,
        reopenCount: 0,
        recurring: false,
        firstRaisedAt: nc.raisedAt,
        lastRaisedAt: nc.raisedAt,
        nonconformityIds: [],
      };
      entry.nonconformityCount += 1;
      if (nc.status !== 'closed') entry.openCount += 1;
      entry.reopenCount += nc.reopenCount;
      entry.recurring = entry.nonconformityCount > 1;
      entry.lastRaisedAt = nc.raisedAt;
      entry.nonconformityIds.push(nc.id);
      byKey.set(key, entry);
    }
  }
  return [...byKey.values()].sort(
    (a, b) => b.nonconformityCount - a.nonconformityCount || b.reopenCount - a.reopenCount || compareText(a.id, b.id),
  );
}

/** How often each AI system was concerned by a nonconformity, most affected first. */
export function recurrenceByAiSystem(states: readonly Nonconformity[]): Recurrence[] {
  return recurrenceBy(
    states,
    (nc) => nc.aiSystemIds,
    () => null,
  );
}

/** How often each Annex A control was concerned by a nonconformity, most affected first. */
export function recurrenceByControl(states: readonly Nonconformity[]): Recurrence[] {
  return recurrenceBy(
    states,
    (nc) => nc.annexAControlIds,
    (id) => findAnnexAControl(id)?.title ?? null,
  );
}

/** How often each clause was concerned by a nonconformity, most affected first. */
export function recurrenceByClause(states: readonly Nonconformity[]): Recurrence[] {
  return recurrenceBy(
    states,
    (nc) => nc.clauseIds,
    (id) => findClause(id)?.title ?? null,
  );
}

export type NonconformityMeasures = {
  /** The instant the overdue measure refers to. */
  at: string;
  total: number;
  open: number;
  byStatus: Record<NonconformityStatus, number>;
  bySeverity: Record<NonconformitySeverity, number>;
  bySeverityAndStatus: Record<NonconformitySeverity, Record<NonconformityStatus, number>>;
  timeToClose: TimeToClose & { bySeverity: Record<NonconformitySeverity, TimeToClose> };
  overdueActions: { count: number; actions: OverdueCorrectiveAction[] };
  reopenedCorrections: ReopenedCorrections;
  recurrenceByAiSystem: Recurrence[];
  recurrenceByControl: Recurrence[];
  recurrenceByClause: Recurrence[];
};

/** Every clause 9.1 measure at once, over the given nonconformities; `at` is the instant for "overdue". */
export function measureNonconformities(states: readonly Nonconformity[], at: string): NonconformityMeasures {
  const byStatus = countByStatus(states);
  const overdue = overdueCorrectiveActions(states, at);
  return {
    at,
    total: states.length,
    open: states.length - byStatus.closed,
    byStatus,
    bySeverity: countBySeverity(states),
    bySeverityAndStatus: countBySeverityAndStatus(states),
    timeToClose: meanTimeToClose(states),
    overdueActions: { count: overdue.length, actions: overdue },
    reopenedCorrections: reopenedCorrections(states),
    recurrenceByAiSystem: recurrenceByAiSystem(states),
    recurrenceByControl: recurrenceByControl(states),
    recurrenceByClause: recurrenceByClause(states),
  };
}

/**
 * Folds the events of many nonconformities (in any interleaving, e.g. a catch-up read over all streams)
 * into their states, in the order they were raised. Memory grows with the number of nonconformities, not
 * with the number of events.
 */
export function projectNonconformities(events: Iterable<NonconformityEvent>): Nonconformity[] {
  const states = new Map<string, Nonconformity>();
  for (const event of events) foldInto(states, event);
  return [...states.values()];
}

/** The same fold over an asynchronous stream of events (an event-store reader). */
export async function projectNonconformitiesAsync(events: AsyncIterable<NonconformityEvent>): Promise<Nonconformity[]> {
  const states = new Map<string, Nonconformity>();
  for await (const event of events) foldInto(states, event);
  return [...states.values()];
}

function foldInto(states: Map<string, Nonconformity>, event: NonconformityEvent): void {
  const next = evolve(states.get(event.nonconformityId) ?? null, event);
  if (next !== null) states.set(next.id, next);
}
