/** Validation and normalisation of read, subscription and verify options (typed errors, never guesses). */
import { InvalidReadOptionsError } from '../../domain/evidence/evidence-errors';
import { assertValidCategory } from '../../domain/evidence/stream-name';
import type { AsOf } from '../ports/event-store.port';
import type { EvidenceBound } from './stored-row';

export const DEFAULT_PAGE_SIZE = 500;
export const MAX_PAGE_SIZE = 10_000;

export function wholeNumber(option: string, value: unknown, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidReadOptionsError(option, value, `must be a whole number >= ${min}`);
  }
  return value;
}

export function pageSizeOf(value: unknown): number {
  const size = wholeNumber('pageSize', value, 1, DEFAULT_PAGE_SIZE);
  if (size > MAX_PAGE_SIZE) throw new InvalidReadOptionsError('pageSize', value, `must be at most ${MAX_PAGE_SIZE}`);
  return size;
}

export function maxCountOf(value: unknown): number {
  return wholeNumber('maxCount', value, 0, Number.POSITIVE_INFINITY);
}

/** Empty or absent lists mean "no filter". */
export function categoriesOf(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new InvalidReadOptionsError('categories', value, 'must be a list of categories');
  value.forEach((c) => assertValidCategory(c));
  return value.length === 0 ? undefined : (value as string[]);
}

export function typesOf(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((t) => typeof t !== 'string' || t === '')) {
    throw new InvalidReadOptionsError('types', value, 'must be a list of non-empty event types');
  }
  return value.length === 0 ? undefined : (value as string[]);
}

/** An as-of point as a row bound; times are normalised to the stored recordedAt form. */
export function boundOf(asOf: AsOf | undefined): EvidenceBound | undefined {
  if (asOf === undefined) return undefined;
  if (typeof asOf !== 'object' || asOf === null) throw new InvalidReadOptionsError('asOf', asOf, 'must be { position } or { time }');
  if ('position' in asOf) return { position: wholeNumber('asOf.position', asOf.position, 0, 0) };
  if ('time' in asOf) {
    const time = asOf.time;
    const ms = time instanceof Date ? time.getTime() : typeof time === 'string' && time.trim() !== '' ? Date.parse(time) : Number.NaN;
    if (Number.isNaN(ms)) throw new InvalidReadOptionsError('asOf.time', time, 'must be an ISO-8601 time or a Date');
    return { recordedAt: new Date(ms).toISOString() };
  }
  throw new InvalidReadOptionsError('asOf', asOf, 'must be { position } or { time }');
}
