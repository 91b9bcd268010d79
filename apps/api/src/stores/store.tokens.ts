/**
 * Nest injection tokens of the stores an API process opens from `config.eventStoreUrl` (all in the same
 * database): inject with `@Inject(EVENT_STORE) store: EventStore`, `@Inject(TOKEN_STORE) tokens: TokenStore`,
 * `@Inject(READ_MODEL_STORE) readModels: ReadModelStore`.
 */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const TOKEN_STORE = Symbol('TOKEN_STORE');
export const READ_MODEL_STORE = Symbol('READ_MODEL_STORE');
/** Document content by digest (infra/ports/content-store.port.ts), in the same database. */
export const CONTENT_STORE = Symbol('CONTENT_STORE');
