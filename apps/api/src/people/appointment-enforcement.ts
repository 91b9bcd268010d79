/**
 * Appointment enforcement on the API's auth path (issue 16): when the organisation has switched it on
 * (its `people-policy-organisation` stream says so), the person behind a credential is found (the `people`
 * read model's identities column) and the credential's roles are narrowed to that person's appointments
 * at the instant of the request, read from the person's own stream (so a revocation counts at once, not
 * after projection lag), each remaining role with the appointment that grants it.
 *
 * - A credential with no person (or one whose identity two people claim) acts with no human role.
 * - `ci` is a machine identity (pipelines): it keeps `ci` whatever the register says, never anything more
 *   unless a person is appointed behind it.
 * - Off (the default, and until anyone sets it): credentials act with every role they hold, as before.
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  actingRoles,
  competenceRefusal,
  enforcedRolesOf,
  evolveRecorded,
  INITIAL_PEOPLE_POLICY,
  INITIAL_PERSON_STATE,
  PEOPLE_POLICY_STREAM,
  peoplePolicyOf,
  personStream,
  type ActingRoles,
  type PeoplePolicyState,
  type PersonState,
  type RequestSubject,
} from '../../../../domain/people';
import type { DomainError } from '../../../../domain/shared/domain-error';
import type { AimsRole } from '../../../../domain/shared/roles';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import type { ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import { HUMAN_TASKS, PEOPLE, type HumanTaskRow, type PersonRow } from '../../../../infra/projections/read-models';
import type { RequestSubjectSource } from '../auth/request-subject.decorator';
import { EVENT_STORE, READ_MODEL_STORE } from '../stores/store.tokens';
import type { ApiActor } from '../auth/api-actor';

@Injectable()
export class AppointmentEnforcement {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
  ) {}

  /** Whether the organisation enforces appointments now, from its recorded switch. */
  async enforced(): Promise<boolean> {
    return (await this.policy()).appointmentsEnforced;
  }

  /** The people policy now (appointment switch, competence requirements and switches), folded as the stream is read. */
  async policy(): Promise<PeoplePolicyState> {
    let s = INITIAL_PEOPLE_POLICY;
    for await (const e of this.events.readStream(PEOPLE_POLICY_STREAM)) s = peoplePolicyOf([{ type: e.type, data: e.data }], s);
    return s;
  }

  /** A person folded from their own stream (null: never registered). */
  async person(personId: string): Promise<PersonState | null> {
    let s = INITIAL_PERSON_STATE;
    for await (const e of this.events.readStream(personStream(personId))) s = evolveRecorded(s, { type: e.type, data: e.data });
    return s.registeredAt === null ? null : s;
  }

  /** The people the register (read model) shows acting for any of `identities`, other than `personId`. */
  async othersHolding(identities: readonly string[], personId: string): Promise<Array<{ personId: string; identities: string[] }>> {
    if (identities.length === 0) return [];
    const page = await this.readModels.query<PersonRow>(PEOPLE, {
      where: [{ column: 'identities', op: 'overlaps', values: [...identities] }],
      limit: 10,
    });
    return page.items.filter((p) => p.personId !== personId).map((p) => ({ personId: p.personId, identities: p.identities }));
  }

  /** The one person an identity acts for, as their own stream says now; null when none or ambiguous. */
  async personActingFor(identity: string): Promise<PersonState | null> {
    const page = await this.readModels.query<PersonRow>(PEOPLE, {
      where: [{ column: 'identities', op: 'overlaps', values: [identity] }],
      limit: 2,
    });
    if (page.items.length !== 1 || page.items[0] === undefined) return null;
    const person = await this.person(page.items[0].personId);
    // The register may have moved on since the projection: the stream is what counts.
    return person !== null && person.identities.includes(identity) ? person : null;
  }

  /**
   * The AI systems a request is about, from its route's declaration (request-subject.decorator.ts): the
   * route parameter itself, or the systems the task names (an unknown task names none; the inbox then
   * answers 404 for it).
   */
  async subjectOf(source: RequestSubjectSource | undefined, params: Record<string, string | undefined>): Promise<RequestSubject> {
    if (source === undefined) return {};
    if ('param' in source) {
      const id = params[source.param];
      return typeof id === 'string' && id !== '' ? { systemId: id } : {};
    }
    const taskId = params[source.task];
    if (typeof taskId !== 'string' || taskId === '') return {};
    const page = await this.readModels.query<HumanTaskRow>(HUMAN_TASKS, {
      where: [{ column: 'task_id', op: 'eq', value: taskId }],
      limit: 2,
    });
    // Two rows for one id is refused by the inbox itself (HUMAN_TASK_AMBIGUOUS); judge against every system they name.
    const systems = page.items.flatMap((t) => (t.aiSystemIds.length > 0 ? t.aiSystemIds : t.aiSystemId === null ? [] : [t.aiSystemId]));
    return systems.length === 0 ? {} : { systemIds: [...new Set(systems)] };
  }

  /**
   * The actor with its roles narrowed to its person's appointments at `at` (and covering `subject`, when
   * the request names one), and how each was judged.
   */
  async narrow(
    actor: ApiActor,
    at: string,
    subject: RequestSubject = {},
  ): Promise<{ actor: ApiActor; acting: ActingRoles; person: PersonState | null }> {
    const person = await this.personActingFor(actor.id);
    const acting = actingRoles({ credentialRoles: actor.roles, person, at, subject });
    const appointments = Object.fromEntries(
      acting.grants.filter((g) => g.appointmentId !== null).map((g) => [g.role, g.appointmentId as string]),
    );
    return {
      actor: {
        ...actor,
        roles: acting.roles,
        credentialRoles: [...actor.roles],
        ...(acting.personId === null ? {} : { personId: acting.personId, appointments }),
      },
      acting,
      person,
    };
  }

  /**
   * The actor without the roles whose competence is enforced and which the person's records do not show
   * now (7.2), each refusal with COMPETENCE_MISSING; unchanged when no role it holds is enforced (then no
   * person is looked up). The person's own stream is read, so a record counts at once.
   */
  async withCompetence(
    actor: ApiActor,
    policy: PeoplePolicyState,
    at: string,
    known?: PersonState | null,
  ): Promise<{ actor: ApiActor; refusals: Array<{ role: AimsRole; refusal: DomainError }> }> {
    const enforced = enforcedRolesOf(policy);
    if (!actor.roles.some((r) => enforced.includes(r))) return { actor, refusals: [] };
    const person = known !== undefined ? known : await this.personActingFor(actor.id);
    const refusals = actor.roles.flatMap((role) => {
      const refusal = competenceRefusal(policy, person?.personId ?? null, actor.id, role, person?.competence ?? [], at);
      return refusal === null ? [] : [{ role, refusal }];
    });
    if (refusals.length === 0) return { actor, refusals };
    const lacking = refusals.map((r) => r.role);
    const appointments =
      actor.appointments === undefined
        ? {}
        : { appointments: Object.fromEntries(Object.entries(actor.appointments).filter(([role]) => !lacking.includes(role as AimsRole))) };
    return {
      actor: {
        ...actor,
        roles: actor.roles.filter((r) => !lacking.includes(r)),
        credentialRoles: actor.credentialRoles ?? [...actor.roles],
        ...appointments,
      },
      refusals,
    };
  }
}
