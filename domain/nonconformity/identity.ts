/**
 * How a nonconformity is named outside the domain: its workflow's id and its evidence stream share one
 * name, `nonconformity-<nonconformityId>`, so an auditor holding either finds the other. Ids are checked by
 * `validateCommand` (letters, digits and `. _ : -`), so the name is a valid stream name and workflow id.
 *
 * Two namespaces (issue 11, finding 5): ids the engine makes (a monitoring breach's, a serious incident's)
 * start with ENGINE_NONCONFORMITY_PREFIX, and nobody may raise a nonconformity under such an id by hand,
 * so a caller can never pre-stage the workflow a breach would start. Engine ids are always valid whatever
 * the system id or metric name (see `engineNonconformityId`).
 */
import { shortDigest } from '../shared/short-digest';

export const NONCONFORMITY_CATEGORY = 'nonconformity';

/** Ids in this namespace are the engine's; compared case-insensitively, so `AIMS:nc-x` is refused too. */
export const ENGINE_NONCONFORMITY_PREFIX = 'aims:';

/** Ids that callers and the engine make: safe in stream names, URLs and object keys. */
export const NONCONFORMITY_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export const NONCONFORMITY_ID_RULE = 'must be 1–128 letters, digits, ".", "_", ":" or "-", starting with a letter or digit';

/** True when `id` lies in the engine's namespace (whoever wrote it). */
export function isEngineNonconformityId(id: string): boolean {
  return id.toLowerCase().startsWith(ENGINE_NONCONFORMITY_PREFIX);
}

/** Why a caller may not name a nonconformity `id`, or null when they may. */
export function callerNonconformityIdProblem(id: unknown): string | null {
  if (typeof id !== 'string' || !NONCONFORMITY_ID.test(id)) return NONCONFORMITY_ID_RULE;
  if (isEngineNonconformityId(id)) return `must not start with "${ENGINE_NONCONFORMITY_PREFIX}": that namespace is the engine's`;
  return null;
}

/** Longest readable part taken from each of the system id and the source. */
const READABLE_PART = 40;

/** A part as readable text of id characters only: every run of others becomes `_` (no dash: dashes separate). */
function readable(part: string): string {
  const cleaned = part.replace(/[^A-Za-z0-9._]+/g, '_').slice(0, READABLE_PART);
  return cleaned === '' ? '_' : cleaned;
}

/**
 * The id of the nonconformity that `source` (`<reportId>/<metric>`, or an incident id) opens in AI system
 * `systemId`: `aims:nc-<system>-<source>-<digest>`. The readable parts only help people (characters an id
 * may not hold become `_`, long parts are cut), the digest over the exact parts and `salt` makes the id
 * unique, and `salt` (random, made once per lifecycle run and never shown) makes it unguessable before the
 * breach happens. Always a valid id (≤ 128 characters) and a valid stream-name segment list.
 */
export function engineNonconformityId(systemId: string, source: string, salt: string): string {
  const digest = shortDigest(`${salt}\u0000${systemId}\u0000${source}`);
  return `${ENGINE_NONCONFORMITY_PREFIX}nc-${readable(systemId)}-${readable(source)}-${digest}`;
}

/** The evidence stream of one nonconformity. */
export function nonconformityStreamName(nonconformityId: string): string {
  return `${NONCONFORMITY_CATEGORY}-${nonconformityId}`;
}

/** The id of the one `nonconformity` workflow of a nonconformity: the same name as its stream. */
export function nonconformityWorkflowId(nonconformityId: string): string {
  return `${NONCONFORMITY_CATEGORY}-${nonconformityId}`;
}

/** The nonconformity id a stream name carries, or null when the stream is not a nonconformity's. */
export function nonconformityIdOfStream(stream: string): string | null {
  return stream.startsWith(`${NONCONFORMITY_CATEGORY}-`) ? stream.slice(NONCONFORMITY_CATEGORY.length + 1) : null;
}
