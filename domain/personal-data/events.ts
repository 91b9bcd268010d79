/**
 * The erasure of a data subject's personal data from the evidence (docs/personal-data.md): their data key
 * is destroyed, so every field sealed under it reads "[erased]", while the events, the chain, the Merkle
 * tree and every proof stay as they were. The erasure itself is evidence, naming the subject only by its
 * pseudonymous id (which, once the key is gone, links to nobody).
 */

/** Streams of this category hold erasures: one stream per subject, `personal-data-<subject id>`. */
export const PERSONAL_DATA_CATEGORY = 'personal-data';

export function erasureStream(subjectId: string): string {
  return `${PERSONAL_DATA_CATEGORY}-${subjectId}`;
}

export type PersonalDataErased = {
  type: 'PersonalDataErased';
  /** The pseudonymous subject id that sealed fields carry in clear (`ps-` and 32 hex digits). */
  subjectId: string;
  /** The id of the data key that was destroyed. */
  keyId: string;
  /** Why (e.g. "GDPR art. 17 request #123"); must not itself hold the subject's personal data. */
  reason: string;
  /** When the erasure was asked for (the key is destroyed right after this event is recorded). */
  requestedAt: string;
};

export type PersonalDataEvent = PersonalDataErased;

/** Clauses and Annex A controls this evidence supports: control of documented information (retention and disposition). */
export const PERSONAL_DATA_ISO_42001_REFERENCES: Readonly<Record<PersonalDataEvent['type'], readonly string[]>> = {
  PersonalDataErased: ['7.5.3'],
};
