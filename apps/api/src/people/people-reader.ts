/**
 * People and role assignments as their evidence records them: one person folded from their own stream
 * (with the roles they act with now, or as of an instant), the register and the assignments from the
 * `people` and `role_assignments` read models, filtered as the lists ask. `asOf` on assignments keeps the
 * appointments in force at that instant (what the evidence says held then).
 */
import { Inject, Injectable } from '@nestjs/common';
import { actingRoles, raciView, type ActingRoles, type PersonState } from '../../../../domain/people';
import { AIMS_ROLES, type AimsRole } from '../../../../domain/shared/roles';
import type { ReadModelCondition, ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import {
  appointmentsInForceAt,
  PEOPLE,
  ROLE_ASSIGNMENTS,
  type PersonRow,
  type RoleAssignmentRow,
} from '../../../../infra/projections/read-models';
import { normaliseIdentity } from '../../../../domain/shared/actor-identity';
import { notFound } from '../common/problems';
import { readModelQueryAsBadRequest } from '../common/read-model-errors';
import { READ_MODEL_STORE } from '../stores/store.tokens';
import { AppointmentEnforcement } from './appointment-enforcement';

export interface PeopleFilters {
  unit?: string;
  status?: string;
  role?: string;
  identity?: string;
}
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
  ) {}

  async person(personId: string, at: string): Promise<PersonState & { actingRolesAt: string; acting: ActingRoles }> {
    const s = await this.enforcement.person(personId);
    if (s === null) throw notFound('person', personId);
    // What the person may act as at the instant, whatever their credentials hold: every role is asked about.
    const acting = actingRoles({ credentialRoles: AIMS_ROLES.filter((r) => r !== 'ci'), person: s, at });
    return { ...s, actingRolesAt: at, acting: { ...acting, refused: acting.refused.filter((r) => r.reason !== 'not_appointed') } };
  }

  list(f: PeopleFilters, page: { limit: number; cursor?: string }): Promise<Page<PersonRow>> {
    const where: ReadModelCondition[] = [];
    if (f.unit !== undefined) where.push({ column: 'unit', op: 'eq', value: f.unit });
    if (f.status !== undefined) where.push({ column: 'status', op: 'eq', value: f.status });
    if (f.role !== undefined) where.push({ column: 'appointed_roles', op: 'overlaps', values: [f.role] });
    if (f.identity !== undefined) where.push({ column: 'identities', op: 'overlaps', values: [normaliseIdentity(f.identity)] });
    return this.readModels
      .query<PersonRow>(PEOPLE, { where, orderBy: 'registered_position', limit: page.limit, after: page.cursor })
      .catch(readModelQueryAsBadRequest);
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
