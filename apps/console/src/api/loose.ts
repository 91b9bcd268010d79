/**
 * Reading records the OpenAPI document leaves open (`additionalProperties`: a version's history, an
 * appointment, a competence record): each field is checked for its type as it is read, so a record of
 * another shape shows a dash instead of breaking the page.
 */
export type Loose = Record<string, unknown>;

const isLoose = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

export function str(o: Loose | null | undefined, key: string): string | null {
  const v = o?.[key];
  return typeof v === 'string' ? v : null;
}

export function num(o: Loose | null | undefined, key: string): number | null {
  const v = o?.[key];
  return typeof v === 'number' ? v : null;
}

export function bool(o: Loose | null | undefined, key: string): boolean | null {
  const v = o?.[key];
  return typeof v === 'boolean' ? v : null;
}

export function obj(o: Loose | null | undefined, key: string): Loose | null {
  const v = o?.[key];
  return isLoose(v) ? v : null;
}

export function objects(o: Loose | null | undefined, key: string): Loose[] {
  const v = o?.[key];
  return Array.isArray(v) ? v.filter(isLoose) : [];
}

export function strings(o: Loose | null | undefined, key: string): string[] {
  const v = o?.[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** A role or status as words (`top_management` -> `top management`). */
export const words = (value: string): string => value.replace(/_/g, ' ');
