/**
 * JSON value types for the domain. State and events cross Temporal payloads and become audit evidence, so
 * the compiler is asked to prove they are plain JSON (see `eventData` in domain/ai-system/events.ts).
 * Kept here rather than imported from infra/ because domain/ must not depend on any other layer.
 */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
