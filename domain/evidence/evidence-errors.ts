/**
 * Typed errors of the audit-evidence store. Each carries what a caller needs to act on it (the stream, the
 * actual revision, the offending event and path), and a stable `code` to switch on without `instanceof`
 * (errors cross process boundaries: Temporal activities, the CLI's --json output).
 */

export type EvidenceErrorCode =
  | 'invalid-stream-name'
  | 'invalid-evidence-event'
  | 'empty-append'
  | 'invalid-expected-revision'
  | 'wrong-expected-revision'
  | 'event-id-conflict'
  | 'invalid-read-options'
  | 'unsupported-event-store-url'
  | 'evidence-schema-too-new'
  | 'evidence-schema-behind'
  | 'evidence-database-encoding'
  | 'evidence-role-unsuitable'
  | 'evidence-store-closed';

export abstract class EvidenceError extends Error {
  abstract readonly code: EvidenceErrorCode;
}

/** A stream name that does not follow `<category>-<id>` (see stream-name.ts). */
export class InvalidStreamNameError extends EvidenceError {
  readonly code = 'invalid-stream-name' as const;
  constructor(
    readonly stream: unknown,
    readonly problem: string,
  ) {
    super(`Invalid stream name ${typeof stream === 'string' ? JSON.stringify(stream) : String(stream)}: ${problem}`);
    this.name = 'InvalidStreamNameError';
  }
}

export type InvalidEventReason =
  | 'not-an-object'
  | 'invalid-id'
  | 'duplicate-id-in-batch'
  | 'empty-type'
  | 'invalid-type'
  | 'data-not-object'
  | 'not-json-serialisable'
  | 'invalid-metadata'
  | 'too-large';

/** One event of a batch is unacceptable; nothing of the batch was written. */
export class InvalidEvidenceEventError extends EvidenceError {
  readonly code = 'invalid-evidence-event' as const;
  constructor(
    /** Index of the event in the batch passed to append. */
    readonly index: number,
    readonly eventId: string | undefined,
    readonly reason: InvalidEventReason,
    readonly detail: string,
    readonly extra: { path?: string; sizeBytes?: number; limitBytes?: number } = {},
  ) {
    super(`Event #${index}${eventId ? ` (${eventId})` : ''} refused (${reason}): ${detail}`);
    this.name = 'InvalidEvidenceEventError';
  }
}

/** An append must carry at least one event. */
export class EmptyAppendError extends EvidenceError {
  readonly code = 'empty-append' as const;
  constructor(readonly stream: string) {
    super(`Append to ${stream} refused: the batch has no events`);
    this.name = 'EmptyAppendError';
  }
}

/** expectedRevision is none of 'any', 'no_stream', 'stream_exists' or a whole number >= 0. */
export class InvalidExpectedRevisionError extends EvidenceError {
  readonly code = 'invalid-expected-revision' as const;
  constructor(readonly expectedRevision: unknown) {
    super(
      `Unknown expected revision ${JSON.stringify(expectedRevision) ?? String(expectedRevision)}: use 'any', 'no_stream', 'stream_exists' or a revision number >= 0`,
    );
    this.name = 'InvalidExpectedRevisionError';
  }
}

/** The stream is not at the revision the caller expected; `actualRevision` says where it is. */
export class WrongExpectedRevisionError extends EvidenceError {
  readonly code = 'wrong-expected-revision' as const;
  constructor(
    readonly stream: string,
    readonly expectedRevision: 'no_stream' | 'stream_exists' | number,
    /** The stream's current revision, or 'no_stream' when it has no events. */
    readonly actualRevision: number | 'no_stream',
  ) {
    super(`Append to ${stream} refused: expected revision ${String(expectedRevision)}, actual ${String(actualRevision)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/**
 * An event id is already recorded with other content ('different-content'), or a retried batch matches
 * recorded events only in part or in another arrangement ('different-batch'). Ids are unique forever.
 */
export class EventIdConflictError extends EvidenceError {
  readonly code = 'event-id-conflict' as const;
  constructor(
    readonly eventId: string,
    readonly reason: 'different-content' | 'different-batch',
    readonly recorded: { stream: string; revision: number; position: number } | undefined,
    detail: string,
  ) {
    super(`Event id ${eventId} conflicts with recorded evidence (${reason}): ${detail}`);
    this.name = 'EventIdConflictError';
  }
}

/** A read, subscription or verify option is out of range or malformed. */
export class InvalidReadOptionsError extends EvidenceError {
  readonly code = 'invalid-read-options' as const;
  constructor(
    readonly option: string,
    readonly value: unknown,
    readonly problem: string,
  ) {
    super(`Invalid option ${option}=${JSON.stringify(value) ?? String(value)}: ${problem}`);
    this.name = 'InvalidReadOptionsError';
  }
}

/** AIMS_EVENT_STORE_URL (or a URL passed to openEventStore) names no supported store. */
export class UnsupportedEventStoreUrlError extends EvidenceError {
  readonly code = 'unsupported-event-store-url' as const;
  constructor(
    readonly url: string,
    readonly problem: string,
  ) {
    super(
      `Unsupported evidence store URL ${JSON.stringify(url)}: ${problem}. Use sqlite:<path> (e.g. sqlite:./data/evidence.db) or postgres://user@host:port/database[?schema=name]`,
    );
    this.name = 'UnsupportedEventStoreUrlError';
  }
}

/** The store was migrated by a newer aims than this one: refuse rather than write in an unknown format. */
export class EvidenceSchemaTooNewError extends EvidenceError {
  readonly code = 'evidence-schema-too-new' as const;
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(`The evidence store's schema is at version ${found}; this aims supports up to ${supported}. Upgrade aims.`);
    this.name = 'EvidenceSchemaTooNewError';
  }
}

/**
 * The store's schema is older than this aims needs, and this process does not (or, lacking the rights,
 * cannot) migrate it: whoever owns the tables runs `aims evidence migrate` first.
 */
export class EvidenceSchemaBehindError extends EvidenceError {
  readonly code = 'evidence-schema-behind' as const;
  constructor(
    readonly found: number,
    readonly required: number,
    readonly reason: string,
  ) {
    super(
      `The evidence store's schema is at version ${found}; this aims needs version ${required}. ${reason} ` +
        'Run `aims evidence migrate --store <URL of the role that owns the evidence tables>` (see docs/database-roles.md), then start again.',
    );
    this.name = 'EvidenceSchemaBehindError';
  }
}

/** The PostgreSQL database does not store text as UTF-8, so evidence in other scripts could not be stored. */
export class EvidenceDatabaseEncodingError extends EvidenceError {
  readonly code = 'evidence-database-encoding' as const;
  constructor(readonly encoding: string) {
    super(
      `The PostgreSQL database's encoding is ${encoding}, not UTF8: evidence text outside that character set (names in ` +
        "other scripts, emoji) could not be stored. Create the database with ENCODING 'UTF8' (e.g. CREATE DATABASE aims " +
        "ENCODING 'UTF8' TEMPLATE template0) and point AIMS_EVENT_STORE_URL at it.",
    );
    this.name = 'EvidenceDatabaseEncodingError';
  }
}

/** A role named to append to the evidence store could undo the append-only guarantees (or does not exist). */
export class EvidenceRoleUnsuitableError extends EvidenceError {
  readonly code = 'evidence-role-unsuitable' as const;
  constructor(
    readonly role: string,
    readonly reason: string,
  ) {
    super(`The role ${JSON.stringify(role)} cannot be the evidence store's appending role: ${reason}`);
    this.name = 'EvidenceRoleUnsuitableError';
  }
}

export class EvidenceStoreClosedError extends EvidenceError {
  readonly code = 'evidence-store-closed' as const;
  constructor() {
    super('The evidence store is closed');
    this.name = 'EvidenceStoreClosedError';
  }
}
