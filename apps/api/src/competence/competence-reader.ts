/**
 * Competence (7.2) as the evidence records it, now or as of an instant: the requirements and the per-role
 * switch (the people policy's stream, folded up to the instant), each person's records and the gaps between
 * the roles they were appointed to then and what those roles required then (each person's own stream,
 * folded up to the instant). People are walked a page at a time from the `people` read model in the order
 * they were registered, each stream read as it is folded, so memory is bounded by the page, not the store.
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  actingRoles,
  competenceGaps,
  enforcedRolesOf,
  evolveRecorded,
  INITIAL_PEOPLE_POLICY,
  INITIAL_PERSON_STATE,
  PEOPLE_POLICY_STREAM,
  peoplePolicyOf,
  personStream,
  requirementsOf,
  type PeoplePolicyState,
  type PersonState,
} from '../../../../domain/people';
import { AIMS_ROLES, type AimsRole } from '../../../../domain/shared/roles';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import type { ReadModelCondition, ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import { PEOPLE, type PersonRow } from '../../../../infra/projections/read-models';
import { readModelQueryAsBadRequest } from '../common/read-model-errors';
import { EVENT_STORE, READ_MODEL_STORE } from '../stores/store.tokens';

type Page<T> = { items: T[]; nextCursor: string | null };
export interface CompetencePeopleFilters {
  personId?: string;
  competence?: string;
  role?: AimsRole;
}

/** True when the recorded step happened at or before `at` (canonical UTC instants compare as text). */
const atOrBefore = (data: Record<string, unknown>, at: string): boolean => typeof data.at !== 'string' || data.at <= at;

@Injectable()
export class CompetenceReader {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
  ) {}

  /** The people policy as it stood at `at`. */
  async policy(at: string): Promise<PeoplePolicyState> {
    let s = INITIAL_PEOPLE_POLICY;
    for await (const e of this.events.readStream(PEOPLE_POLICY_STREAM)) {
      if (!atOrBefore(e.data, at)) break;
      s = peoplePolicyOf([{ type: e.type, data: e.data }], s);
    }
    return s;
  }

  /** The requirements in force at `at` (a short list: paged by position in it), each saying whether its role is enforced. */
  async requirements(at: string, role: AimsRole | undefined, page: { limit: number; cursor?: string }) {
    const policy = await this.policy(at);
    const enforced = enforcedRolesOf(policy);
    const all = requirementsOf(policy)
      .filter((r) => role === undefined || r.role === role)
      .map((r) => ({ ...r, enforced: enforced.includes(r.role) }));
    const from = page.cursor === undefined ? 0 : Number(page.cursor);
    const items = all.slice(from, from + page.limit);
    return { items, nextCursor: from + page.limit < all.length ? String(from + page.limit) : null, asOf: at };
  }

  /** Each person's competence records as of `at`; a page holds the records of up to `limit` people. */
  async records(at: string, f: CompetencePeopleFilters, page: { limit: number; cursor?: string }): Promise<Page<Record<string, unknown>>> {
    const people = await this.people(f, page);
    const items: Array<Record<string, unknown>> = [];
    for (const row of people.items) {
      const s = await this.personAt(row.personId, at);
      for (const r of s.competence ?? []) {
        if (f.competence !== undefined && r.competence !== f.competence) continue;
        const current = r.obtainedAt <= at && (r.expiresAt === null || r.expiresAt > at);
        items.push({ personId: s.personId, name: s.name, ...r, current });
      }
    }
    return { items, nextCursor: people.nextCursor };
  }

  /**
   * The gaps as of `at`: per person, each requirement of a role they were appointed to then that their
   * records did not meet then, why (never recorded, expired, too old) and whether the role was enforced.
   */
  async gaps(at: string, f: CompetencePeopleFilters, page: { limit: number; cursor?: string }): Promise<Page<Record<string, unknown>>> {
    const policy = await this.policy(at);
    const requirements = requirementsOf(policy).filter((r) => f.competence === undefined || r.competence === f.competence);
    const enforced = enforcedRolesOf(policy);
    const people = await this.people(f, page);
    const items: Array<Record<string, unknown>> = [];
    for (const row of people.items) {
      const s = await this.personAt(row.personId, at);
      if (s.registeredAt === null) continue;
      const roles = actingRoles({ credentialRoles: AIMS_ROLES.filter((r) => r !== 'ci'), person: s, at }).roles.filter(
        (r) => f.role === undefined || r === f.role,
      );
      for (const g of competenceGaps(requirements, roles, s.competence ?? [], at))
        items.push({ personId: s.personId, name: s.name, ...g, enforced: enforced.includes(g.role) });
    }
    return { items, nextCursor: people.nextCursor };
  }

  /** The people of a page: one named person straight from their stream (no projection lag), else the register's page. */
  private people(f: CompetencePeopleFilters, page: { limit: number; cursor?: string }): Promise<Page<{ personId: string }>> {
    if (f.personId !== undefined) return Promise.resolve({ items: [{ personId: f.personId }], nextCursor: null });
    const where: ReadModelCondition[] = [];
    if (f.role !== undefined) where.push({ column: 'appointed_roles', op: 'overlaps', values: [f.role] });
    return this.readModels
      .query<PersonRow>(PEOPLE, { where, orderBy: 'registered_position', limit: page.limit, after: page.cursor })
      .catch(readModelQueryAsBadRequest);
  }

  private async personAt(personId: string, at: string): Promise<PersonState> {
    let s = INITIAL_PERSON_STATE;
    for await (const e of this.events.readStream(personStream(personId))) {
      if (!atOrBefore(e.data, at)) break;
      s = evolveRecorded(s, { type: e.type, data: e.data });
    }
    return s;
  }
}
