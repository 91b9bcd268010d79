/**
 * How a nonconformity is named outside the domain: its workflow's id and its evidence stream share one
 * name, `nonconformity-<nonconformityId>`, so an auditor holding either finds the other. Ids are checked by
 * `validateCommand` (letters, digits and `. _ : -`), so the name is a valid stream name and workflow id.
 */
export const NONCONFORMITY_CATEGORY = 'nonconformity';

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
