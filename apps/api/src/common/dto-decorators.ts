/**
 * The validation rules request bodies share, as class-validator decorators, so every DTO says the same
 * thing the same way: a text is a string with something in it besides blanks (the domains refuse blank
 * text too, so it is refused here, naming the field, before anything reaches a workflow); an instant is an
 * ISO 8601 date and time with an offset that exists on the calendar. Values are never rewritten: what a
 * person wrote is what the evidence records. OpenAPI metadata stays on each field (`@ApiProperty`).
 */
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  registerDecorator,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { isInstant, parseFixedDuration } from '../../../../domain/shared/iso-time';

/**
 * A validated body (or part of one) as plain JSON: class instances and undefined fields gone, so what a
 * domain check sees in the API is exactly what the workflow will receive (Temporal sends JSON too).
 */
export function plainJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Default bounds: a paragraph of text, a name, a list. */
export const TEXT_MAX = 4000;
export const NAME_MAX = 200;
export const LIST_MAX = 100;

/** Something besides blanks. */
const NOT_BLANK = /\S/;

function apply(decorators: PropertyDecorator[]): PropertyDecorator {
  return (target: object, key: string | symbol) => decorators.forEach((decorate) => decorate(target, key));
}

/** A required text of at most `max` characters. */
export function Text(max = TEXT_MAX): PropertyDecorator {
  return apply([IsString(), Matches(NOT_BLANK, { message: '$property must not be blank' }), MaxLength(max)]);
}

/** An optional text (absent or null), at most `max` characters when given. */
export function OptionalText(max = TEXT_MAX): PropertyDecorator {
  return apply([IsOptional(), Text(max)]);
}

/** A list of texts: non-empty once trimmed, each at most `itemMax` characters. */
export function TextList(options: { min?: number; max?: number; itemMax?: number } = {}): PropertyDecorator {
  const { min = 0, max = LIST_MAX, itemMax = TEXT_MAX } = options;
  return apply([
    IsArray(),
    ...(min > 0 ? [ArrayMinSize(min)] : []),
    ArrayMaxSize(max),
    IsString({ each: true }),
    Matches(NOT_BLANK, { each: true, message: 'each entry of $property must not be blank' }),
    MaxLength(itemMax, { each: true }),
  ]);
}

/** A required nested object of class `type`, validated field by field. */
export function Nested(type: () => new () => object): PropertyDecorator {
  return apply([IsObject(), ValidateNested(), Type(type)]);
}

/** A list of nested objects of class `type`. */
export function NestedList(type: () => new () => object, options: { min?: number; max?: number } = {}): PropertyDecorator {
  const { min = 0, max = LIST_MAX } = options;
  return apply([IsArray(), ...(min > 0 ? [ArrayMinSize(min)] : []), ArrayMaxSize(max), ValidateNested({ each: true }), Type(type)]);
}

/** A finite number (no NaN, no infinity). */
export function FiniteNumber(): PropertyDecorator {
  return IsNumber({ allowNaN: false, allowInfinity: false });
}

/** A whole number from 1. */
export function PositiveInteger(): PropertyDecorator {
  return apply([IsInt(), Min(1)]);
}

function rule(name: string, message: string, validate: (value: unknown) => boolean, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message, ...options },
      validator: { validate },
    });
}

/** An instant: ISO 8601 date and time with an offset, on a real calendar date (2026-03-31T12:00:00Z). */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return rule(
    'isInstant',
    '$property must be an ISO 8601 instant with an offset, e.g. 2026-03-31T12:00:00Z',
    (value) => isInstant(value),
    options,
  );
}

/** A fixed-length ISO 8601 duration (`P30D`, `PT12H`); months and years have no fixed length. */
export function IsFixedDuration(options?: ValidationOptions): PropertyDecorator {
  return rule(
    'isFixedDuration',
    '$property must be an ISO 8601 duration in weeks, days, hours, minutes or seconds, e.g. P30D or PT12H',
    (value) => typeof value === 'string' && parseFixedDuration(value) !== null,
    options,
  );
}

/** A content digest: `sha256:` and 64 lower-case hex digits. */
export function IsSha256Digest(): PropertyDecorator {
  return apply([
    IsString(),
    Matches(/^sha256:[0-9a-f]{64}$/, { message: '$property must be sha256: followed by 64 lower-case hex digits' }),
  ]);
}

/** Model versions: "1.0.0", "v2", "2026-03-01+build.7". */
export const MODEL_VERSION = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;

export function IsModelVersion(): PropertyDecorator {
  return apply([
    IsString(),
    Matches(MODEL_VERSION, {
      message: '$property must be a model version: 1-128 letters, digits or . _ + -, starting with a letter or digit',
    }),
  ]);
}

/** Ids of a process's own parts (plans, actions): the domain's id rule; they never form stream names. */
export const STEP_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function IsStepId(options?: ValidationOptions): PropertyDecorator {
  return Matches(STEP_ID, {
    message: '$property must be 1-128 letters, digits, ".", "_", ":" or "-", starting with a letter or digit',
    ...options,
  });
}
