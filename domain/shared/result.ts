/** A decision either succeeds with a value or fails with a typed error; nothing in the domain throws. */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function err<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}

/** Compile-time exhaustiveness: a `switch` over a union calls this in `default`. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}

/**
 * Compile-time exhaustiveness with a run-time fallback, for values that may come from outside the type
 * system (an event type written by a newer version, say) where throwing would be worse than ignoring.
 */
export function exhaustiveOr<T>(_value: never, fallback: T): T {
  return fallback;
}
