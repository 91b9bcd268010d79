/**
 * Identifier rules for path and query parameters, as class-validator decorators, so a bad id is a 400
 * problem naming the field rather than a lookup that finds nothing.
 */
import { registerDecorator, ValidationOptions } from 'class-validator';
import { streamNameProblem } from '../../../../domain/evidence/stream-name';

/**
 * An entity id (AI system, nonconformity, task): 1-128 ASCII letters, digits and `_ . : @ -`, starting with
 * a letter or digit, no empty dash-separated segment — so `<category>-<id>` is always a valid stream name.
 */
export const ENTITY_ID = /^[A-Za-z0-9][A-Za-z0-9_.:@]*(?:-[A-Za-z0-9_.:@]+)*$/;
export const ENTITY_ID_MAX = 128;

export function isEntityId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= ENTITY_ID_MAX && ENTITY_ID.test(value);
}

export function IsEntityId(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isEntityId',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `$property must be 1-${ENTITY_ID_MAX} letters, digits or _ . : @ -, starting with a letter or digit, without "--" or a trailing "-"`,
        ...options,
      },
      validator: { validate: (value: unknown) => isEntityId(value) },
    });
}

export function IsStreamName(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isStreamName',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: (args) => `$property ${streamNameProblem(args.value) ?? 'is not a stream name'}`, ...options },
      validator: { validate: (value: unknown) => streamNameProblem(value) === undefined },
    });
}

/** `asOf`: a global position (digits) or an ISO-8601 date or time (a date alone means the end of that day, UTC). */
export const AS_OF = /^(\d{1,15}|\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?)$/;

export function IsAsOf(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isAsOf',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message:
          '$property must be a position (a whole number) or an ISO-8601 date or time with an offset, e.g. 2026-03-31 or 2026-03-31T12:00:00Z',
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && AS_OF.test(value) && parseAsOf(value) !== null },
    });
}

/** The store's as-of point for a validated `asOf`, or null when the date does not exist. */
export function parseAsOf(raw: string): { position: number } | { time: string } | null {
  if (/^\d+$/.test(raw)) return { position: Number(raw) };
  const text = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T23:59:59.999Z` : raw;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return null;
  const date = raw.slice(0, 10);
  // Date.parse rolls 2026-02-30 over to March; refuse dates that do not exist.
  if (!/[+-]\d{2}:?\d{2}$/.test(raw) && new Date(ms).toISOString().slice(0, 10) !== date) return null;
  return { time: new Date(ms).toISOString() };
}
