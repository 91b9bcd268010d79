/**
 * Which fields of an evidence event are personal data, and the sealed form they are stored in
 * (issue 12 item 6, docs/personal-data.md). Pure: the cipher lives in infra/personal-data.
 *
 * A field is personal, and sealed under the data subject it names, when it is
 *  - `metadata.actor.id` (the acting identity) or `metadata.credential.subject` (a JWT's `sub`): subject
 *    = that identity, normalised (domain/shared/actor-identity.ts);
 *  - in `data`, at any depth, a string under a key that names who did something (`by`, `actor`, `owner`,
 *    any `…By` except the dates and key names in NOT_A_PERSON), or the `id` of an object under such a key
 *    (an ActorRef `{ id, role }`): subject = that identity, normalised;
 *  - in `data`, at any depth, a string that is an e-mail address (the whole string): subject = the
 *    address, normalised;
 *  - a value the producer marked personal: `{ "aims:personal": { "subject": IDENTITY, "value": ANY } }`,
 *    sealed under IDENTITY (the marker is a write-time instruction: readers get `value` back).
 * System identities (`aims:…`) are never personal. The sealed form is one string, so a sealed field keeps
 * its JSON type where a string was expected (`metadata.actor.id` must be one).
 */
import type { JsonObject, JsonValue } from '../shared/json';
import { isSystemIdentity, normaliseIdentity } from '../shared/actor-identity';

/** What a reader sees in place of a field whose subject was erased. */
export const ERASED = '[erased]';
/** What a reader sees in place of a sealed field that does not decrypt (altered, or another key). */
export const UNREADABLE = '[unreadable]';
/** The marker a producer wraps a personal value in. */
export const PERSONAL_MARK = 'aims:personal';

/** `…By` keys that hold a date or a key name, not a person. */
const NOT_A_PERSON = new Set(['reviewBy', 'cosignedBy', 'signedBy', 'dueBy']);

function isPersonKey(key: string): boolean {
  if (NOT_A_PERSON.has(key)) return false;
  return (
    key === 'by' ||
    key === 'actor' ||
    key === 'owner' ||
    key === 'people' ||
    key === 'email' ||
    /[a-z]By$/.test(key) ||
    /[a-z]Email$/.test(key)
  );
}

const EMAIL = /^[^\s@"<>]+@[^\s@"<>]+\.[^\s@"<>]+$/;

/** Sealed: `sealed:v1:<subject id>:<key id>:<iv, base64url>:<ciphertext ‖ tag, base64url>`. */
const SEALED = /^sealed:v1:(ps-[0-9a-f]{32}):([0-9a-f]{16}):([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22,})$/;

export interface SealedField {
  subjectId: string;
  keyId: string;
  iv: string;
  ciphertext: string;
}

export function formatSealed(f: SealedField): string {
  return `sealed:v1:${f.subjectId}:${f.keyId}:${f.iv}:${f.ciphertext}`;
}

export function parseSealed(value: string): SealedField | null {
  if (!value.startsWith('sealed:v1:')) return null;
  const m = SEALED.exec(value);
  return m ? { subjectId: m[1], keyId: m[2], iv: m[3], ciphertext: m[4] } : null;
}

export function isPseudonymousSubjectId(value: string): boolean {
  return /^ps-[0-9a-f]{32}$/.test(value);
}

/**
 * Bound into each field's AEAD as associated data: a sealed value copied to another event or field, or
 * relabelled with another subject or key, does not decrypt.
 */
export function sealedFieldAad(eventId: string, path: string, subjectId: string, keyId: string): string {
  return `aims-sealed:v1\n${eventId.toLowerCase()}\n${path}\n${subjectId}\n${keyId}`;
}

/** One personal field found in an event: where it is, whose it is, and its value. */
export interface PersonalField {
  path: string;
  /** The normalised identity of the data subject. */
  identity: string;
  value: JsonValue;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function markedValue(v: JsonValue): { identity: string; value: JsonValue } | null {
  if (!isObject(v)) return null;
  const keys = Object.keys(v);
  if (keys.length !== 1 || keys[0] !== PERSONAL_MARK) return null;
  const mark = v[PERSONAL_MARK];
  if (!isObject(mark) || typeof mark.subject !== 'string' || !('value' in mark)) return null;
  const identity = normaliseIdentity(mark.subject);
  return identity === '' ? null : { identity, value: mark.value };
}

function personIdentity(value: string): string | null {
  if (parseSealed(value) !== null) return null;
  const identity = normaliseIdentity(value);
  return identity === '' || isSystemIdentity(identity) ? null : identity;
}

/**
 * Rewrites an event's data and metadata with every personal field replaced by `seal(field)`. Pure apart
 * from the callback; the input is not modified.
 */
export function mapPersonalFields(
  data: JsonObject,
  metadata: JsonObject,
  seal: (field: PersonalField) => JsonValue,
): { data: JsonObject; metadata: JsonObject } {
  const walk = (value: JsonValue, path: string, key: string | null): JsonValue => {
    const marked = markedValue(value);
    if (marked) return seal({ path, identity: marked.identity, value: marked.value });
    if (typeof value === 'string') {
      const identity = personIdentity(value);
      if (identity === null) return value;
      if ((key !== null && isPersonKey(key)) || EMAIL.test(value)) return seal({ path, identity, value });
      return value;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}.${i}`, key));
    if (isObject(value)) {
      const out: JsonObject = {};
      const actorLike = key !== null && isPersonKey(key);
      for (const [k, v] of Object.entries(value)) {
        const childPath = `${path}.${k}`;
        if (actorLike && k === 'id' && typeof v === 'string') {
          const identity = personIdentity(v);
          out[k] = identity === null ? v : seal({ path: childPath, identity, value: v });
        } else out[k] = walk(v, childPath, k);
      }
      return out;
    }
    return value;
  };
  const newData = walk(data, 'data', null) as JsonObject;
  const newMetadata: JsonObject = { ...metadata };
  const actor = metadata.actor;
  if (isObject(actor) && typeof actor.id === 'string') {
    const identity = personIdentity(actor.id);
    if (identity !== null) newMetadata.actor = { ...actor, id: seal({ path: 'metadata.actor.id', identity, value: actor.id }) };
  }
  const credential = metadata.credential;
  if (isObject(credential) && typeof credential.subject === 'string') {
    const identity = personIdentity(credential.subject);
    if (identity !== null) {
      newMetadata.credential = {
        ...credential,
        subject: seal({ path: 'metadata.credential.subject', identity: actorIdentityOr(metadata, identity), value: credential.subject }),
      };
    }
  }
  return { data: newData, metadata: newMetadata };
}

/** A JWT's `sub` belongs to the actor it authenticated: seal it under the actor's identity when there is one. */
function actorIdentityOr(metadata: JsonObject, fallback: string): string {
  const actor = metadata.actor;
  if (isObject(actor) && typeof actor.id === 'string') return personIdentity(actor.id) ?? fallback;
  return fallback;
}

/**
 * Rewrites every sealed string of an event (anywhere in data or metadata) with `open(sealed, path)`.
 */
export function mapSealedFields(
  data: JsonObject,
  metadata: JsonObject,
  open: (sealed: SealedField, path: string) => JsonValue,
): { data: JsonObject; metadata: JsonObject } {
  const walk = (value: JsonValue, path: string): JsonValue => {
    if (typeof value === 'string') {
      const sealed = parseSealed(value);
      return sealed === null ? value : open(sealed, path);
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}.${i}`));
    if (isObject(value)) {
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v, `${path}.${k}`);
      return out;
    }
    return value;
  };
  return { data: walk(data, 'data') as JsonObject, metadata: walk(metadata, 'metadata') as JsonObject };
}

/** The pseudonymous subject ids an event's sealed fields name (to fetch their keys in one read). */
export function sealedSubjects(data: JsonObject, metadata: JsonObject): Set<string> {
  const subjects = new Set<string>();
  mapSealedFields(data, metadata, (sealed) => {
    subjects.add(sealed.subjectId);
    return null;
  });
  return subjects;
}
