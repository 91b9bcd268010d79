/**
 * The project's one JSON type. State and events cross Temporal payloads and become audit evidence, so the
 * compiler is asked to prove they are plain JSON (see `eventData` in domain/ai-system/events.ts). Defined
 * in domain/ because domain/ may depend on no other layer; the event-store port re-exports it.
 */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
