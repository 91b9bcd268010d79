/**
 * Erasing a data subject (docs/personal-data.md): three steps, each idempotent, so an erasure interrupted
 * anywhere is finished by running it again (or by `completePendingErasures`, which the CLI runs first):
 *   1. begin: the key row is marked with the erasure (its event id, reason, who, when) and forgets the
 *      identity's digest. From here reads show "[erased]" and the identity's next event opens a new subject.
 *   2. record: `PersonalDataErased` is appended to `personal-data-<subject id>` with the event id chosen in
 *      step 1 (skipped when that event is already stored).
 *   3. destroy: the wrapped data key is overwritten with NULL.
 * A crash after 1 leaves the subject unreadable and an erasure pending; after 2 the evidence says erased
 * and the key is still stored until step 3 runs. Nothing hashed is touched: events, chain, tree, proofs
 * and checkpoints stay exactly as they were.
 */
import { randomUUID } from 'node:crypto';
import { isPseudonymousSubjectId } from '../../domain/personal-data/personal-fields';
import { erasureStream, type PersonalDataErased } from '../../domain/personal-data/events';
import { PERSONAL_DATA_ISO_42001_REFERENCES } from '../../domain/personal-data/events';
import { iso42001Tags } from '../../domain/iso-references/evidence-references';
import { normaliseIdentity } from '../../domain/shared/actor-identity';
import type { JsonObject } from '../../domain/shared/json';
import type { SubjectKeyRow } from './subject-key-store';
import type { PersonalDataEventStore } from './personal-data-event-store';

export class UnknownSubjectError extends Error {
  readonly code = 'SUBJECT_UNKNOWN';
  constructor(readonly subject: string) {
    super(
      isPseudonymousSubjectId(subject)
        ? `no data subject ${subject} is known to this store`
        : `no personal data of ${JSON.stringify(subject)} is stored sealed in this evidence (unknown identity, already erased, or recorded before encryption was enabled)`,
    );
    this.name = 'UnknownSubjectError';
  }
}

export interface ErasureRequest {
  /** A normalised-or-not identity (as in metadata.actor.id), or a pseudonymous subject id `ps-…`. */
  subject: string;
  reason: string;
  by: { id: string; role: string };
  source: string;
}

interface StoredErasure {
  eventId: string;
  reason: string;
  requestedAt: string;
  by: { id: string; role: string };
  source: string;
}

export interface ErasureOutcome {
  subjectId: string;
  keyId: string;
  eventId: string;
  position: number | null;
  /** True when the subject had been erased before (nothing was done). */
  alreadyErased: boolean;
}

/** Test hooks standing for a crash between the steps. */
export interface ErasureFaults {
  afterBegin?: () => void;
  afterRecorded?: () => void;
}

async function findSubject(store: PersonalDataEventStore, subject: string): Promise<SubjectKeyRow> {
  const trimmed = subject.trim();
  const row = isPseudonymousSubjectId(trimmed)
    ? ((await store.keys.bySubjectIds([trimmed]))[0] ?? null)
    : await store.keys.byIdentityDigest(store.identityDigestOf(normaliseIdentity(subject)));
  if (row === null) throw new UnknownSubjectError(trimmed);
  return row;
}

export async function eraseSubject(
  store: PersonalDataEventStore,
  request: ErasureRequest,
  faults: ErasureFaults = {},
): Promise<ErasureOutcome> {
  if (request.reason.trim() === '') throw new Error('an erasure needs a reason');
  const found = await findSubject(store, request.subject);
  if (found.erasedAt !== null) {
    const done = JSON.parse(found.erasure ?? '{}') as Partial<StoredErasure>;
    return { subjectId: found.subjectId, keyId: found.keyId, eventId: done.eventId ?? '', position: null, alreadyErased: true };
  }
  const erasure: StoredErasure = {
    eventId: randomUUID(),
    reason: request.reason,
    requestedAt: new Date().toISOString(),
    by: request.by,
    source: request.source,
  };
  const begun = await store.keys.beginErasure(found.subjectId, JSON.stringify(erasure));
  if (begun === null) throw new UnknownSubjectError(found.subjectId);
  faults.afterBegin?.();
  return finishErasure(store, begun, faults);
}

/** Steps 2 and 3 for an erasure that has begun (its stored event id, reason and actor are reused). */
export async function finishErasure(
  store: PersonalDataEventStore,
  row: SubjectKeyRow,
  faults: ErasureFaults = {},
): Promise<ErasureOutcome> {
  const erasure = JSON.parse(row.erasure as string) as StoredErasure;
  let position: number | null = null;
  const recorded = await store.stored.eventById(erasure.eventId);
  if (recorded === null) {
    const data: PersonalDataErased & JsonObject = {
      type: 'PersonalDataErased',
      subjectId: row.subjectId,
      keyId: row.keyId,
      reason: erasure.reason,
      requestedAt: erasure.requestedAt,
    };
    const { type, ...payload } = data;
    const result = await store.append(erasureStream(row.subjectId), [
      {
        id: erasure.eventId,
        type,
        data: payload,
        metadata: {
          actor: erasure.by,
          source: erasure.source,
          iso42001: { ...iso42001Tags(PERSONAL_DATA_ISO_42001_REFERENCES.PersonalDataErased) },
        },
      },
    ]);
    position = result.lastPosition;
  } else position = recorded.position;
  faults.afterRecorded?.();
  await store.keys.completeErasure(row.subjectId, new Date().toISOString());
  return { subjectId: row.subjectId, keyId: row.keyId, eventId: erasure.eventId, position, alreadyErased: false };
}

/** Finishes every erasure a crash left half done; answers what it finished. */
export async function completePendingErasures(store: PersonalDataEventStore): Promise<ErasureOutcome[]> {
  const done: ErasureOutcome[] = [];
  for (const row of await store.keys.pendingErasures()) done.push(await finishErasure(store, row));
  return done;
}
