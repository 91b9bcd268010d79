/**
 * Risks as their evidence records them: one risk folded from its `risk-<id>` stream, the register from
 * the `risks` read model (folded from the same evidence), filtered as the list asks.
 */
import { Inject, Injectable } from '@nestjs/common';
import { RISK_STATUSES, evolve, hasOverdueAction, type Risk, type RiskEvent, type RiskState } from '../../../../domain/risk';
import { riskWorkflowId } from '../../../../domain/shared/risk-links';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import { notFound } from '../common/problems';
import type { ReadModelCondition, ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import { RISKS, type RiskRow } from '../../../../infra/projections/read-models';
import { readModelQueryAsBadRequest } from '../common/read-model-errors';
import { EVENT_STORE, READ_MODEL_STORE } from '../stores/store.tokens';
import type { RiskDto } from './risks.dto';

export interface RiskFilters {
  systemId?: string;
  owner?: string;
  level?: string;
  aboveAppetite?: boolean;
  overdue?: boolean;
  dueForReassessment?: boolean;
}

const asEvent = (e: { type: string; data: unknown }): RiskEvent => ({ ...(e.data as object), type: e.type }) as RiskEvent;

/** The level that stands now: the residual once recorded, else the inherent one. */
export function currentLevel(r: Risk): { level: string | null; aboveAppetite: boolean } {
  const s = r.residual ?? r.inherent;
  return s === null ? { level: null, aboveAppetite: false } : { level: s.level, aboveAppetite: s.aboveAppetite };
}

export function matches(r: Risk, f: RiskFilters, now: number): boolean {
  const { level, aboveAppetite } = currentLevel(r);
  const overdue = hasOverdueAction(r, now);
  const due = r.status === 'reassessment_due' || (r.reassessmentDueAt !== null && Date.parse(r.reassessmentDueAt) <= now);
  return (
    (f.systemId === undefined || r.systemId === f.systemId) &&
    (f.owner === undefined || r.owner === f.owner) &&
    (f.level === undefined || level === f.level) &&
    (f.aboveAppetite === undefined || aboveAppetite === f.aboveAppetite) &&
    (f.overdue === undefined || overdue === f.overdue) &&
    (f.dueForReassessment === undefined || due === f.dueForReassessment)
  );
}

@Injectable()
export class RiskReader {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
  ) {}

  async risk(riskId: string): Promise<Risk> {
    let state: RiskState = null;
    for await (const e of this.events.readStream(riskWorkflowId(riskId))) state = evolve(state, asEvent(e));
    if (state === null) throw notFound('risk', riskId);
    return state;
  }

  /**
   * One page of the risks the filters keep, in the order they were identified. The `risks` read model
   * narrows by its columns, the time-dependent filters (overdue, reassessment due) included, judged against
   * now; each risk on the page is then folded from its own stream (so the page shows its latest state) and
   * checked again. Each read-model page asked for is exactly what is still missing, so the cursor of the
   * last one is where the next page starts, and memory is bounded by the page, not by the register.
   */
  async list(filters: RiskFilters, page: { limit: number; cursor?: string }): Promise<{ items: Risk[]; nextCursor: string | null }> {
    const now = Date.now();
    const where = riskConditions(filters, new Date(now).toISOString());
    const items: Risk[] = [];
    let after = page.cursor;
    let nextCursor: string | null = null;
    do {
      const rows = await this.readModels
        .query<RiskRow>(RISKS, { where, orderBy: 'identified_position', limit: page.limit - items.length, after })
        .catch(readModelQueryAsBadRequest);
      for (const row of rows.items) {
        const risk = await this.risk(row.riskId);
        if (matches(risk, filters, now)) items.push(risk);
      }
      nextCursor = rows.nextCursor;
      after = nextCursor ?? undefined;
    } while (nextCursor !== null && items.length < page.limit);
    return { items, nextCursor };
  }
}

const RISK_STATUSES_NOT_DUE = RISK_STATUSES.filter((s) => s !== 'reassessment_due');

/**
 * The filters as read-model conditions; `nowIso` decides what is overdue or due (ISO instants compare in
 * order; the due columns hold instants, so a date-only due date is overdue only once its day is over).
 */
export function riskConditions(filters: RiskFilters, nowIso: string): ReadModelCondition[] {
  const where: ReadModelCondition[] = [];
  if (filters.systemId !== undefined) where.push({ column: 'system_id', op: 'eq', value: filters.systemId });
  if (filters.owner !== undefined) where.push({ column: 'owner', op: 'eq', value: filters.owner });
  if (filters.level !== undefined) where.push({ column: 'level', op: 'eq', value: filters.level });
  if (filters.aboveAppetite !== undefined) where.push({ column: 'above_appetite', op: 'eq', value: filters.aboveAppetite ? 1 : 0 });
  if (filters.overdue === true) where.push({ column: 'next_action_due_at', op: 'lt', value: nowIso });
  if (filters.overdue === false)
    where.push({
      op: 'or',
      conditions: [
        { column: 'next_action_due_at', op: 'isNull' },
        { column: 'next_action_due_at', op: 'gte', value: nowIso },
      ],
    });
  if (filters.dueForReassessment === true)
    where.push({
      op: 'or',
      conditions: [
        { column: 'status', op: 'eq', value: 'reassessment_due' },
        { column: 'reassessment_due_at', op: 'lte', value: nowIso },
      ],
    });
  if (filters.dueForReassessment === false) {
    where.push({ column: 'status', op: 'in', values: RISK_STATUSES_NOT_DUE });
    where.push({
      op: 'or',
      conditions: [
        { column: 'reassessment_due_at', op: 'isNull' },
        { column: 'reassessment_due_at', op: 'gt', value: nowIso },
      ],
    });
  }
  return where;
}

/** What the API shows of a risk: its state, with the level that stands now. */
export function riskView(r: Risk): RiskDto {
  return {
    riskId: r.riskId,
    systemId: r.systemId,
    source: { ...r.source },
    description: r.description,
    owner: r.owner,
    status: r.status,
    assessment: r.assessment,
    ...currentLevel(r),
    criteria: r.criteria === null ? null : { ...r.criteria },
    inherent: r.inherent === null ? null : { ...r.inherent },
    plan: r.plan === null ? null : { ...r.plan },
    actions: r.actions.map((a) => ({ ...a })),
    residual: r.residual === null ? null : { ...r.residual },
    acceptedLevel: r.acceptedLevel,
    reassessmentDueAt: r.reassessmentDueAt,
    tasks: r.tasks.map((t) => ({ ...t })),
  };
}
