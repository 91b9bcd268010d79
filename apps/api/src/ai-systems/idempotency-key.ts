/**
 * The deployment gate's `Idempotency-Key` header (issue 11, finding 8). A key is scoped to whoever sends it:
 * the deployment request's id is `idem-` and 40 hex of SHA-256 over the caller's normalised identity and the
 * key, so the same pipeline retrying gets its first answer (the repeat itself is recorded as evidence), while
 * another identity sending the same key gets a request of its own: never the pipeline's answer, and never a
 * 409 for the pipeline because someone took its (predictable) key first. The key is never the request id
 * verbatim, even when it would be a valid id: that is what let another caller claim it. The request id is
 * in the answer and its Location header. Same caller, same key, different content: 409 DUPLICATE_ID.
 */
import { createHash } from 'node:crypto';
import { normaliseIdentity } from '../../../../domain/shared/actor-identity';
import { invalidField } from '../common/problems';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
const KEY = /^[A-Za-z0-9._:-]{1,200}$/;

/**
 * The request id for a header value sent by `callerId`; undefined when no key was sent (the workflow then
 * numbers the request). Throws 400 for a malformed key. The identity is normalised, so `CI.Main` and
 * `ci.main` (one person) share their keys.
 */
export function requestIdFromIdempotencyKey(raw: string | string[] | undefined, callerId: string): string | undefined {
  if (raw === undefined) return undefined;
  if (Array.isArray(raw) || !KEY.test(raw)) {
    throw invalidField(IDEMPOTENCY_KEY_HEADER, 'must be one header of 1-200 letters, digits or . _ : -');
  }
  // JSON of the pair: unambiguous whatever characters an identity (a JWT subject) holds.
  const scoped = JSON.stringify(['aims-idempotency-key/v1', normaliseIdentity(callerId), raw]);
  return `idem-${createHash('sha256').update(scoped).digest('hex').slice(0, 40)}`;
}
