/**
 * Reads the records an internal audit samples (9.2.1): each event by id, as the evidence store holds it,
 * with the global position it sits at and the actor its metadata names (its author). Records past the
 * stated position were not in the store then, so they are reported, never sampled. The workflow records
 * what this answers with the sample, so the audit can be repeated from the same position.
 *
 * And the appointments an auditor holds in force (the people register, `person-<id>` streams), so the
 * decider can refuse an auditor appointed to what they audit (domain/internal-audit/independence.ts).
 */
import { ApplicationFailure } from '@temporalio/activity';
import { auditorAppointmentsOf } from '../domain/internal-audit/independence';
import type { AuditorAppointment, SampledRecord } from '../domain/internal-audit/model';
import { evolveRecorded, INITIAL_PERSON_STATE, PERSON_CATEGORY, PERSON_ID, personStream, type PersonState } from '../domain/people';
import type { EventStore } from '../infra/ports/event-store.port';

export interface ReadSampleInput {
  eventIds: string[];
  asOfPosition: number;
}

export interface ReadSampleResult {
  records: SampledRecord[];
  /** Ids with no event in the store, or recorded after `asOfPosition`. */
  unavailable: string[];
}

export interface ReadAppointmentsInput {
  personIds: string[];
  /** The instant the step is decided at: appointments in force then. */
  at: string;
}

export interface InternalAuditActivities {
  readAuditSample(input: ReadSampleInput): Promise<ReadSampleResult>;
  readAuditorAppointments(input: ReadAppointmentsInput): Promise<AuditorAppointment[]>;
}

/** At most this many people per read: an audit team, never the register. */
export const MAX_APPOINTMENT_PEOPLE = 50;

/**
 * The appointments in force at `at` of each person (an id that is no registered person holds none). Each
 * person's stream is folded as it streams in; one person's history is small and bounded.
 */
export async function readAuditorAppointments(store: EventStore, personIds: readonly string[], at: string): Promise<AuditorAppointment[]> {
  const found: AuditorAppointment[] = [];
  for (const personId of [...new Set(personIds)]) {
    if (typeof personId !== 'string' || !PERSON_ID.test(personId)) continue;
    let person = INITIAL_PERSON_STATE;
    for await (const e of store.readStream(personStream(personId))) person = evolveRecorded(person, { type: e.type, data: e.data });
    if (person.registeredAt !== null) found.push(...auditorAppointmentsOf(person, at));
  }
  return found;
}

/**
 * Every appointment in force at `at`, of every registered person: who the register makes responsible for
 * what, for an audit programme's areas. The register's streams only (category `person`), each folded as it
 * streams in.
 */
export async function readRegisterAppointments(store: EventStore, at: string): Promise<AuditorAppointment[]> {
  const people = new Map<string, PersonState>();
  for await (const e of store.readAll({ categories: [PERSON_CATEGORY] }))
    people.set(e.stream, evolveRecorded(people.get(e.stream) ?? INITIAL_PERSON_STATE, { type: e.type, data: e.data }));
  return [...people.values()].filter((p) => p.registeredAt !== null).flatMap((p) => auditorAppointmentsOf(p, at));
}

/** At most this many records per sample: a sample is a selection, never the whole store. */
export const MAX_SAMPLE_RECORDS = 500;

export function createInternalAuditActivities(store: EventStore): InternalAuditActivities {
  return {
    async readAuditSample(input: ReadSampleInput): Promise<ReadSampleResult> {
      if (!Array.isArray(input?.eventIds) || input.eventIds.length > MAX_SAMPLE_RECORDS || !Number.isInteger(input.asOfPosition)) {
        throw ApplicationFailure.nonRetryable(`a sample is 1–${MAX_SAMPLE_RECORDS} event ids as of an integer position`, 'INVALID_SAMPLE');
      }
      const records: SampledRecord[] = [];
      const unavailable: string[] = [];
      for (const eventId of [...new Set(input.eventIds)]) {
        const event = typeof eventId === 'string' ? await store.eventById(eventId) : null;
        if (event === null || event.position > input.asOfPosition) {
          unavailable.push(String(eventId));
          continue;
        }
        const actor = event.metadata?.actor as { id?: unknown } | undefined;
        records.push({
          eventId: event.id,
          stream: event.stream,
          type: event.type,
          position: event.position,
          authorId: typeof actor?.id === 'string' ? actor.id : null,
        });
      }
      return { records, unavailable };
    },
    async readAuditorAppointments(input: ReadAppointmentsInput): Promise<AuditorAppointment[]> {
      if (!Array.isArray(input?.personIds) || input.personIds.length > MAX_APPOINTMENT_PEOPLE || Number.isNaN(Date.parse(input.at))) {
        throw ApplicationFailure.nonRetryable(`1–${MAX_APPOINTMENT_PEOPLE} person ids and an ISO 8601 instant`, 'INVALID_APPOINTMENT_READ');
      }
      return readAuditorAppointments(store, input.personIds, input.at);
    },
  };
}
