/**
 * Who holds which AIMS roles, for the processes that must reach each person (a published document's
 * acknowledgements, 7.3). There is no person register yet: the identities come from the API tokens (active,
 * unexpired), one person per token name, and every answer says so (`source`), so the evidence shows where
 * the list came from. When the worker has no token store, the answer is empty and says that instead.
 */
import { normaliseIdentity, isSystemIdentity } from '../domain/shared/actor-identity';
import type { AimsRole } from '../domain/shared/roles';
import type { TokenStore } from '../infra/ports/token-store.port';

export interface Person {
  id: string;
  roles: AimsRole[];
}

export interface PeopleInRoles {
  people: Person[];
  /** Where the list came from, recorded with what it caused. */
  source: string;
}

/** Where the worker finds people: the token store today, a person register later. */
export interface PeopleDirectory {
  inRoles(roles: readonly AimsRole[]): Promise<PeopleInRoles>;
}

export const TOKEN_STORE_SOURCE = 'token store (active API tokens; there is no person register yet)';

export function tokenStorePeople(tokens: Pick<TokenStore, 'list'>, now: () => Date = () => new Date()): PeopleDirectory {
  return {
    async inRoles(roles) {
      const at = now().getTime();
      const byId = new Map<string, Set<AimsRole>>();
      for (const t of await tokens.list({ activeOnly: true })) {
        if (t.expiresAt !== null && Date.parse(t.expiresAt) <= at) continue;
        const id = normaliseIdentity(t.name);
        if (isSystemIdentity(id)) continue;
        const held = t.roles.filter((r) => roles.includes(r));
        if (held.length === 0) continue;
        const set = byId.get(id) ?? new Set<AimsRole>();
        for (const r of held) set.add(r);
        byId.set(id, set);
      }
      const people = [...byId.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([id, set]) => ({ id, roles: [...set].sort() }));
      return { people, source: TOKEN_STORE_SOURCE };
    },
  };
}

export interface PeopleActivities {
  peopleInRoles(roles: AimsRole[]): Promise<PeopleInRoles>;
}

export function createPeopleActivities(directory: PeopleDirectory | null): PeopleActivities {
  return {
    async peopleInRoles(roles) {
      if (directory === null) return { people: [], source: 'none: the worker has no person register or token store configured' };
      return directory.inRoles(roles);
    },
  };
}
