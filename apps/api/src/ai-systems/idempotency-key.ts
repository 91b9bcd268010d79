/**
 * The deployment gate's `Idempotency-Key` header. Its value becomes the deployment request's id, and the
 * workflow answers a request id it has seen with the same content from its record (writing nothing), so
 * a pipeline that retries never opens a second request. A different content under a used key is refused
 * (409 DUPLICATE_ID) rather than silently answered for the first request.
 */
import { createHash } from 'node:crypto';
import { isEntityId } from '../common/ids';
import { invalidField } from '../common/problems';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
const KEY = /^[A-Za-z0-9._:-]{1,200}$/;
/** Keys longer than this are hashed, so request ids stay short enough to read in a log line. */
const KEPT_AS_IS_MAX = 100;

/**
 * The request id for a header value: the key itself when it is already a valid entity id (readable in
 * the evidence and usable in GET …/deployments/{requestId}), else `idem-` and 40 hex of its SHA-256.
 * Undefined when no key was sent (the workflow then numbers the request). Throws 400 for a malformed key.
 */
export function requestIdFromIdempotencyKey(raw: string | string[] | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (Array.isArray(raw) || !KEY.test(raw)) {
    throw invalidField(IDEMPOTENCY_KEY_HEADER, 'must be one header of 1-200 letters, digits or . _ : -');
  }
  if (raw.length <= KEPT_AS_IS_MAX && isEntityId(raw)) return raw;
  return `idem-${createHash('sha256').update(raw).digest('hex').slice(0, 40)}`;
}
