/**
 * People and role assignments as their evidence records them: one person folded from their own stream
 * (with the roles they act with now, or as of an instant), the register and the assignments from the
 * `people` and `role_assignments` read models, filtered as the lists ask. `asOf` on assignments keeps the
 * appointments in force at that instant (what the evidence says held then); `asOf` on the register folds the
 * person streams up to that point with the read model's own fold, so the register then is what it showed then.
 */
import { Inject, Injectable } from '@nestjs/common';
import { actingRoles, PERSON_CATEGORY, raciView, type ActingRoles, type PersonState } from '../../../../domain/people';
import { AIMS_ROLES, type AimsRole } from '../../../../domain/shared/roles';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import type { Projected, ReadModelCondition, ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import {
  appointmentsInForceAt,
  PEOPLE,
  ROLE_ASSIGNMENTS,
  type PersonRow,
  type RoleAssignmentRow,
} from '../../../../infra/projections/read-models';
import { normaliseIdentity } from '../../../../domain/shared/actor-identity';
import { parseAsOf } from '../common/ids';
import { invalidField, notFound } from '../common/problems';
import { readModelQueryAsBadRequest } from '../common/read-model-errors';
import { EVENT_STORE, READ_MODEL_STORE } from '../stores/store.tokens';
import { AppointmentEnforcement } from './appointment-enforcement';

export interface PeopleFilters {
  unit?: string;
  status?: string;
  role?: string;
  identity?: string;
  /** A global position or an ISO 8601 date/time: the register as the evidence stood then. */
  asOf?: string;
}

/** Pages of the register as of a point carry their own cursors (the last row's registration position). */
const AS_OF_CURSOR = /^asof-(\d+)$/;
export interface RoleAssignmentFilters {
  personId?: string;
  role?: string;
  status?: string;
  system?: string;
  unit?: string;
  /** A canonical UTC instant: only the appointments in force then. */
  asOf?: string;
}

type Page<T> = { items: T[]; nextCursor: string | null };

@Injectable()
export class PeopleReader {
  constructor(
    private readonly enforcement: AppointmentEnforcement,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  async person(personId: string, at: string): Promise<PersonState & { actingRolesAt: string; acting: ActingRoles }> {
    const s = await this.enforcement.person(personId);
    if (s === null) throw notFound('person', personId);
    // What the person may act as at the instant, whatever their credentials hold: every role is asked about.
    const acting = actingRoles({ credentialRoles: AIMS_ROLES.filter((r) => r !== 'ci'), person: s, at });
    return { ...s, actingRolesAt: at, acting: { ...acting, refused: acting.refused.filter((r) => r.reason !== 'not_appointed') } };
  }

  list(f: PeopleFilters, page: { limit: number; cursor?: string }): Promise<Page<PersonRow>> {
    if (f.asOf !== undefined) return this.listAsOf(f, f.asOf, page);
    const where: ReadModelCondition[] = [];
    if (f.unit !== undefined) where.push({ column: 'unit', op: 'eq', value: f.unit });
    if (f.status !== undefined) where.push({ column: 'status', op: 'eq', value: f.status });
    if (f.role !== undefined) where.push({ column: 'appointed_roles', op: 'overlaps', values: [f.role] });
    if (f.identity !== undefined) where.push({ column: 'identities', op: 'overlaps', values: [normaliseIdentity(f.identity)] });
    return this.readModels
      .query<PersonRow>(PEOPLE, { where, orderBy: 'registered_position', limit: page.limit, after: page.cursor })
      .catch(readModelQueryAsBadRequest);
  }

  /**
   * The register as of a point: the person streams folded up to it (streamed; memory follows the number of
   * people, not the log), then the same filters and order as the read model's.
   */
  private async listAsOf(f: PeopleFilters, asOfText: string, page: { limit: number; cursor?: string }): Promise<Page<PersonRow>> {
    const asOf = parseAsOf(asOfText);
    if (asOf === null) throw invalidField('asOf', 'must be a global position or an ISO 8601 date or date-time');
    const after = page.cursor === undefined ? 0 : Number(AS_OF_CURSOR.exec(page.cursor)?.[1] ?? NaN);
    if (Number.isNaN(after)) throw invalidField('cursor', 'is not a cursor of this list as of a point (ask again without it)');
    const people = new Map<string, Projected<PersonRow, PersonState>>();
    for await (const e of this.events.readAll({ categories: [PERSON_CATEGORY] })) {
      // recordedAt never decreases along positions, so "as of" is a prefix of the log.
      if ('position' in asOf ? e.position > asOf.position : e.recordedAt > asOf.time) break;
      const key = PEOPLE.keyOf(e);
      if (key === null) continue;
      const next = PEOPLE.apply(people.get(key) ?? null, e);
      if (next !== null) people.set(key, next);
    }
    const identity = f.identity === undefined ? undefined : normaliseIdentity(f.identity);
    const rows = [...people.values()]
      .map((p) => p.row)
      .filter(
        (r) =>
          r.registeredPosition > after &&
          (f.unit === undefined || r.unit === f.unit) &&
          (f.status === undefined || r.status === f.status) &&
          (f.role === undefined || r.appointedRoles.includes(f.role as AimsRole)) &&
          (identity === undefined || r.identities.includes(identity)),
      )
      .sort((a, b) => a.registeredPosition - b.registeredPosition);
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > page.limit && last !== undefined ? `asof-${last.registeredPosition}` : null };
  }

  assignments(f: RoleAssignmentFilters, page: { limit: number; cursor?: string }): Promise<Page<RoleAssignmentRow>> {
    const where: ReadModelCondition[] = f.asOf === undefined ? [] : appointmentsInForceAt(f.asOf);
    if (f.personId !== undefined) where.push({ column: 'person_id', op: 'eq', value: f.personId });
    if (f.role !== undefined) where.push({ column: 'role', op: 'eq', value: f.role });
    if (f.status !== undefined) where.push({ column: 'status', op: 'eq', value: f.status });
    if (f.unit !== undefined) where.push({ column: 'unit', op: 'eq', value: f.unit });
    if (f.system !== undefined)
      where.push({
        op: 'or',
        conditions: [
          { column: 'whole_aims', op: 'eq', value: 1 },
          { column: 'system_ids', op: 'overlaps', values: [f.system] },
        ],
      });
    return this.readModels
      .query<RoleAssignmentRow>(ROLE_ASSIGNMENTS, { where, limit: page.limit, after: page.cursor })
      .catch(readModelQueryAsBadRequest);
  }

  raci(role?: AimsRole): ReturnType<typeof raciView> {
    const view = raciView();
    if (role === undefined) return view;
    return view.map((p) => ({ ...p, rows: p.rows.filter((r) => r.responsible.includes(role) || r.accountable.includes(role)) }));
  }
}
