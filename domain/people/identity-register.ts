/**
 * One person per identity (issue 16 item 1): two people may not claim the same API token name, JWT subject
 * or e-mail address, or a credential would act for whichever of them the register found first. Each
 * person's stream only knows its own identities, so the organisation keeps one register of who holds which
 * (stream and workflow `people-identities-organisation`): a person is registered, and their identities
 * changed, only after the register reserved them for that person. The register is one workflow, whose
 * Updates are decided one after another, so two concurrent registrations claiming one identity cannot both
 * succeed: the second is refused IDENTITY_TAKEN, naming the identity and who holds it.
 *
 * What is claimed: the person's identities (already normalised, domain/shared/actor-identity) and their
 * contact when it is an e-mail address (normalised the same way). Reserving is idempotent for the person
 * who already holds an identity. Identities a change of identities dropped are released afterwards; a
 * person who left keeps theirs reserved (their evidence still names them).
 */
import { normaliseIdentity } from '../shared/actor-identity';
import { domainError, type DomainError } from '../shared/domain-error';
import type { JsonObject } from '../shared/json';
import { err, ok, type Result } from '../shared/result';
import { actingAs, actorProblem, type Actor, type ActorRef } from '../shared/roles';
import { ValidationIssues, validationFailed } from '../shared/validation';
import { APPOINTING_ROLES, MAX_IDENTITIES, PERSON_ID } from './model';

export const PEOPLE_IDENTITIES_CATEGORY = 'people-identities';
export const PEOPLE_IDENTITIES_STREAM = `${PEOPLE_IDENTITIES_CATEGORY}-organisation`;
export const PEOPLE_IDENTITIES_WORKFLOW_ID = PEOPLE_IDENTITIES_STREAM;
export const PEOPLE_IDENTITIES_SYSTEM_ACTOR: ActorRef = { id: 'aims:people-identities', role: 'system' };

/** Who holds each claimed identity (normalised identity → person id). */
export type IdentityRegisterState = { holders: Record<string, string> };
export const INITIAL_IDENTITY_REGISTER: IdentityRegisterState = { holders: {} };

export type ReserveIdentities = { type: 'ReserveIdentities'; personId: string; identities: string[]; by: Actor; at: string };
export type ReleaseIdentities = {
  type: 'ReleaseIdentities';
  personId: string;
  identities: string[];
  reason: string;
  by: Actor;
  at: string;
};
export type IdentityRegisterCommand = ReserveIdentities | ReleaseIdentities;

export type IdentitiesReserved = { type: 'IdentitiesReserved'; personId: string; identities: string[]; by: ActorRef; at: string };
export type IdentitiesReleased = {
  type: 'IdentitiesReleased';
  personId: string;
  identities: string[];
  reason: string;
  by: ActorRef;
  at: string;
};
export type IdentityRegisterEvent = IdentitiesReserved | IdentitiesReleased;

export const PEOPLE_IDENTITIES_ISO_42001_REFERENCES: Record<IdentityRegisterEvent['type'], string[]> = {
  IdentitiesReserved: ['5.3', '7.1', 'A.3.2'],
  IdentitiesReleased: ['5.3', '7.1', 'A.3.2'],
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Everything a person claims: their identities and, when it is an e-mail address, their contact; normalised, unique, sorted. */
export function claimedIdentities(identities: readonly string[], contact: string): string[] {
  const claimed = identities.map(normaliseIdentity);
  const address = normaliseIdentity(contact.trim());
  if (EMAIL.test(address)) claimed.push(address);
  return [...new Set(claimed)].sort();
}

function checked(v: ValidationIssues, c: { personId: unknown; identities: unknown }): string[] {
  if (typeof c.personId !== 'string' || !PERSON_ID.test(c.personId)) v.add('personId', 'must be a person id');
  if (!Array.isArray(c.identities) || !c.identities.every((x) => typeof x === 'string' && x.trim() !== '' && x.length <= 200)) {
    v.add('identities', 'must be a list of non-empty identities of at most 200 characters');
    return [];
  }
  // Their identities and their contact address.
  if (c.identities.length > MAX_IDENTITIES + 1) v.add('identities', `must name at most ${MAX_IDENTITIES + 1}`);
  return [...new Set((c.identities as string[]).map(normaliseIdentity))].sort();
}

function authority(by: Actor): Result<ActorRef, DomainError> {
  const problem = actorProblem(by);
  if (problem) return err(domainError('INVALID_ACTOR', problem));
  if (!APPOINTING_ROLES.some((r) => by.roles.includes(r)))
    return err(
      domainError(
        'MISSING_ROLE',
        `${by.id} cannot reserve or release a person's identities: it needs one of ${APPOINTING_ROLES.join(', ')}.`,
        {
          actorId: by.id,
          actorRoles: [...by.roles],
          requiredRoles: [...APPOINTING_ROLES],
        },
      ),
    );
  return ok(actingAs(by, APPOINTING_ROLES));
}

export function decideIdentityRegister(c: IdentityRegisterCommand, s: IdentityRegisterState): Result<IdentityRegisterEvent[], DomainError> {
  if (c === null || typeof c !== 'object' || (c.type !== 'ReserveIdentities' && c.type !== 'ReleaseIdentities'))
    return err(domainError('UNKNOWN_COMMAND', 'The identity register takes ReserveIdentities and ReleaseIdentities.'));
  const v = new ValidationIssues();
  const identities = checked(v, c);
  if (c.type === 'ReleaseIdentities' && v.text('reason', c.reason) && c.reason.length > 4000)
    v.add('reason', 'must be at most 4000 characters');
  if (!v.empty) return err(validationFailed(c.type, v.list));
  const by = authority(c.by);
  if (!by.ok) return by;
  if (c.type === 'ReserveIdentities') {
    const taken = identities.filter((id) => s.holders[id] !== undefined && s.holders[id] !== c.personId);
    const first = taken[0];
    if (first !== undefined)
      return err(
        domainError('IDENTITY_TAKEN', `${first} already acts for ${s.holders[first]}; one identity acts for one person.`, {
          identity: first,
          heldBy: s.holders[first] ?? null,
          personId: c.personId,
          taken: taken.map((id) => ({ identity: id, heldBy: s.holders[id] ?? null })),
        }),
      );
    const fresh = identities.filter((id) => s.holders[id] === undefined);
    return ok(fresh.length === 0 ? [] : [{ type: 'IdentitiesReserved', personId: c.personId, identities: fresh, by: by.value, at: c.at }]);
  }
  // Only what the person holds is released; anything else is not theirs to give up.
  const held = identities.filter((id) => s.holders[id] === c.personId);
  return ok(
    held.length === 0
      ? []
      : [{ type: 'IdentitiesReleased', personId: c.personId, identities: held, reason: c.reason, by: by.value, at: c.at }],
  );
}

export function evolveIdentityRegister(s: IdentityRegisterState, e: IdentityRegisterEvent): IdentityRegisterState {
  const holders = { ...s.holders };
  if (e.type === 'IdentitiesReserved') for (const id of e.identities) holders[id] = e.personId;
  else if (e.type === 'IdentitiesReleased') for (const id of e.identities) if (holders[id] === e.personId) delete holders[id];
  return { holders };
}

export function identityRegisterEventData(e: IdentityRegisterEvent): JsonObject {
  const { type: _type, ...data } = e;
  return data;
}
