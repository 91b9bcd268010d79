/** The signed-in caller (GET /v1/me): the console shows only what these roles may do; the API still decides. */
import { createContext, useContext } from 'react';
import type { Schemas } from './api/client';

export type Me = Schemas['MeDto'];

export const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (me === null) throw new Error('useMe outside a signed-in page');
  return me;
}

export function holdsAny(me: Me, roles: readonly string[]): boolean {
  return me.roles.some((role) => roles.includes(role));
}

/** Who may read the evidence log and verify it (the API's AUDIT_READERS). */
export const AUDIT_READERS = ['auditor', 'internal_auditor', 'aims_owner', 'admin'];
