import { InvalidReadModelQueryError } from '../../../../infra/projections/projection-errors';
import { invalidField } from './problems';

/** A read-model query refused for the caller's input (e.g. a tampered cursor): 400 naming the field. */
export function readModelQueryAsBadRequest(error: unknown): never {
  if (error instanceof InvalidReadModelQueryError) throw invalidField(error.field, error.problem);
  throw error;
}
