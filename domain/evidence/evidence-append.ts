/**
 * The pure core of an append, shared by every adapter:
 *   validateAppend(stream, events, options) -> AppendCommand | typed error   (bad input: nothing is written)
 *   decideAppend(command, state)            -> AppendDecision | typed error  (idempotency, expected revision,
 *                                                                             positions, revisions, time)
 *   decideAppendGroup(commands, state)      -> the same for appends committed together
 * The adapter supplies `state` read inside its write lock and writes what the decision says; hashing
 * (crypto) is the adapter's, everything else is decided here.
 */
import { canonicalize, NotJsonSerialisableError, utf8ByteLength } from './canonical-json';
import type { JsonObject } from '../shared/json';
import {
  EmptyAppendError,
  EvidenceError,
  EventIdConflictError,
  InvalidEvidenceEventError,
  InvalidExpectedRevisionError,
  WrongExpectedRevisionError,
} from './evidence-errors';
import { EnvelopeParts, formatRecordedAt, MAX_EVENT_BYTES } from './evidence-envelope';
import { assertValidStreamName } from './stream-name';

export type ExpectedRevisionForm = 'any' | 'no_stream' | 'stream_exists' | number;

/** One validated event: data and metadata as given (undefined metadata members dropped) and canonical. */
export interface ProposedEvidence {
  id: string;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
  dataJson: string;
  metadataJson: string;
}

export interface AppendCommand {
  stream: string;
  events: ProposedEvidence[];
  expectedRevision: ExpectedRevisionForm;
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_.:-]*$/;
export const MAX_EVENT_TYPE_LENGTH = 200;
/** Metadata members with a meaning of their own; each, when present, must be a string. */
const STRING_METADATA = ['workflowId', 'runId', 'correlationId', 'causationId', 'source'] as const;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || (typeof proto === 'object' && Object.getPrototypeOf(proto) === null);
}

export function parseExpectedRevision(value: unknown): ExpectedRevisionForm {
  if (value === undefined || value === 'any') return 'any';
  if (value === 'no_stream' || value === 'stream_exists') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new InvalidExpectedRevisionError(value);
}

function canonicalOrRefuse(index: number, id: string, value: unknown, at: 'data' | 'metadata'): string {
  try {
    return canonicalize(value);
  } catch (error) {
    if (error instanceof NotJsonSerialisableError) {
      const path = error.path.replace(/^\$/, at);
      throw new InvalidEvidenceEventError(index, id, 'not-json-serialisable', `${path} is not JSON data: ${error.detail}`, {
        path,
      });
    }
    throw error;
  }
}

function validateMetadata(index: number, id: string, raw: unknown): JsonObject {
  if (raw === undefined) return {};
  if (!isPlainObject(raw)) throw new InvalidEvidenceEventError(index, id, 'invalid-metadata', 'metadata must be a plain object');
  // Optional members may be passed as undefined (the port's type allows it): they are simply not recorded.
  const metadata: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) if (value !== undefined) metadata[key] = value;
  if ('actor' in metadata) {
    const actor = metadata.actor;
    if (!isPlainObject(actor) || typeof actor.id !== 'string' || actor.id === '' || typeof actor.role !== 'string' || actor.role === '') {
      throw new InvalidEvidenceEventError(
        index,
        id,
        'invalid-metadata',
        'metadata.actor must be { id: non-empty string, role: non-empty string }',
        {
          path: 'metadata.actor',
        },
      );
    }
  }
  for (const key of STRING_METADATA) {
    if (key in metadata && typeof metadata[key] !== 'string') {
      throw new InvalidEvidenceEventError(index, id, 'invalid-metadata', `metadata.${key} must be a string`, { path: `metadata.${key}` });
    }
  }
  return metadata as JsonObject;
}

/** Checks a proposed append completely before anything is written. Event ids are normalised to lower case. */
export function validateAppend(stream: unknown, events: unknown, options?: unknown): AppendCommand {
  assertValidStreamName(stream);
  const expectedRevision = parseExpectedRevision(isPlainObject(options) ? options.expectedRevision : undefined);
  if (!Array.isArray(events) || events.length === 0) throw new EmptyAppendError(stream);

  const seen = new Set<string>();
  const proposed = events.map((event: unknown, index): ProposedEvidence => {
    if (!isPlainObject(event))
      throw new InvalidEvidenceEventError(index, undefined, 'not-an-object', 'an event must be { id, type, data, metadata? }');
    const rawId = event.id;
    if (typeof rawId !== 'string' || !UUID.test(rawId)) {
      throw new InvalidEvidenceEventError(
        index,
        typeof rawId === 'string' ? rawId : undefined,
        'invalid-id',
        'id must be a UUID (8-4-4-4-12 hex digits)',
      );
    }
    const id = rawId.toLowerCase();
    if (seen.has(id)) throw new InvalidEvidenceEventError(index, id, 'duplicate-id-in-batch', 'the same id appears twice in one batch');
    seen.add(id);

    const type = event.type;
    if (typeof type !== 'string' || type.trim() === '')
      throw new InvalidEvidenceEventError(index, id, 'empty-type', 'type must be a non-empty string');
    if (type.length > MAX_EVENT_TYPE_LENGTH || !EVENT_TYPE.test(type)) {
      throw new InvalidEvidenceEventError(
        index,
        id,
        'invalid-type',
        `type must start with a letter and contain only letters, digits and _ . : - (at most ${MAX_EVENT_TYPE_LENGTH} characters)`,
      );
    }

    if (!isPlainObject(event.data)) throw new InvalidEvidenceEventError(index, id, 'data-not-object', 'data must be a plain JSON object');
    const dataJson = canonicalOrRefuse(index, id, event.data, 'data');
    const metadata = validateMetadata(index, id, event.metadata);
    const metadataJson = canonicalOrRefuse(index, id, metadata, 'metadata');

    const sized = `{"data":${dataJson},"id":"${id}","metadata":${metadataJson},"type":${JSON.stringify(type)}}`;
    // A UTF-16 code unit takes at most 3 bytes in UTF-8, so only a text longer than a third of the limit
    // can exceed it and needs its bytes counted.
    const sizeBytes = sized.length * 3 > MAX_EVENT_BYTES ? utf8ByteLength(sized) : undefined;
    if (sizeBytes !== undefined && sizeBytes > MAX_EVENT_BYTES) {
      throw new InvalidEvidenceEventError(
        index,
        id,
        'too-large',
        `the event takes ${sizeBytes} bytes as canonical JSON; the limit is ${MAX_EVENT_BYTES}`,
        {
          sizeBytes,
          limitBytes: MAX_EVENT_BYTES,
        },
      );
    }
    return { id, type, data: event.data as JsonObject, metadata, dataJson, metadataJson };
  });
  return { stream, events: proposed, expectedRevision };
}

/** What the adapter knows about an already-recorded event with one of the batch's ids. */
export interface RecordedEventSummary {
  id: string;
  stream: string;
  type: string;
  revision: number;
  position: number;
  dataJson: string;
  metadataJson: string;
}

/** The last event of the chain, as far as deciding needs it (its hash is the adapter's business). */
export interface ChainTip {
  position: number;
  recordedAt: string;
}

/** Read by the adapter while it holds the store's write lock. */
export interface AppendState {
  recordedWithSameIds: RecordedEventSummary[];
  /** The stream's current revision, null when it has no events. */
  streamRevision: number | null;
  /** The last event of the global chain, null when the store is empty. */
  chainTip: ChainTip | null;
  /** The store's clock, in milliseconds since the epoch. */
  nowMs: number;
}

export type UnhashedEnvelope = Omit<EnvelopeParts, 'prevHash'>;

export type AppendDecision =
  | { kind: 'already-recorded'; stream: string; nextExpectedRevision: number; lastPosition: number }
  | {
      kind: 'append';
      stream: string;
      /** In position order, right after the chain tip; the adapter chains them and writes all or none. */
      envelopes: UnhashedEnvelope[];
      nextExpectedRevision: number;
      lastPosition: number;
    };

function decideRetry(command: AppendCommand, recorded: RecordedEventSummary[]): AppendDecision | undefined {
  if (recorded.length === 0) return undefined;
  const byId = new Map(recorded.map((r) => [r.id, r]));
  for (const event of command.events) {
    const r = byId.get(event.id);
    if (
      r &&
      (r.stream !== command.stream || r.type !== event.type || r.dataJson !== event.dataJson || r.metadataJson !== event.metadataJson)
    ) {
      const what = r.stream !== command.stream ? `it is recorded on stream ${r.stream}` : 'its recorded type, data or metadata differ';
      throw new EventIdConflictError(event.id, 'different-content', { stream: r.stream, revision: r.revision, position: r.position }, what);
    }
  }
  const matched = command.events.map((e) => byId.get(e.id));
  const first = matched[0];
  const consecutive =
    first !== undefined &&
    matched.every((r, i) => r !== undefined && r.revision === first.revision + i && r.position === first.position + i);
  if (!consecutive) {
    const anyRecorded = matched.find((r) => r !== undefined) as RecordedEventSummary;
    throw new EventIdConflictError(
      anyRecorded.id,
      'different-batch',
      { stream: anyRecorded.stream, revision: anyRecorded.revision, position: anyRecorded.position },
      `${recorded.length} of the ${command.events.length} events of this batch are already recorded, but not as this batch; a retry must resend the identical batch`,
    );
  }
  const last = matched[matched.length - 1] as RecordedEventSummary;
  return { kind: 'already-recorded', stream: command.stream, nextExpectedRevision: last.revision, lastPosition: last.position };
}

function checkExpectedRevision(stream: string, expected: ExpectedRevisionForm, actual: number | null): void {
  switch (expected) {
    case 'any':
      return;
    case 'no_stream':
      if (actual !== null) throw new WrongExpectedRevisionError(stream, expected, actual);
      return;
    case 'stream_exists':
      if (actual === null) throw new WrongExpectedRevisionError(stream, expected, 'no_stream');
      return;
    default: {
      const revision: number = expected;
      if (actual !== revision) throw new WrongExpectedRevisionError(stream, revision, actual ?? 'no_stream');
    }
  }
}

/**
 * Decides an append. An idempotent retry (every id recorded with the same content, as the same batch)
 * answers the first result and writes nothing, before the expected revision is looked at: the retry's
 * expectation was about the world before its own first attempt. recordedAt never goes back along the
 * chain (a clock stepping back is clamped to the previous event's time), so "as of a time" is a prefix
 * of the global order.
 */
export function decideAppend(command: AppendCommand, state: AppendState): AppendDecision {
  const retry = decideRetry(command, state.recordedWithSameIds);
  if (retry) return retry;
  checkExpectedRevision(command.stream, command.expectedRevision, state.streamRevision);

  const tip = state.chainTip;
  const recordedAt = formatRecordedAt(Math.max(state.nowMs, tip ? Date.parse(tip.recordedAt) : Number.NEGATIVE_INFINITY));
  const firstRevision = (state.streamRevision ?? -1) + 1;
  const firstPosition = (tip?.position ?? 0) + 1;
  const envelopes = command.events.map((event, i): UnhashedEnvelope => ({
    id: event.id,
    stream: command.stream,
    type: event.type,
    revision: firstRevision + i,
    position: firstPosition + i,
    recordedAt,
    dataJson: event.dataJson,
    metadataJson: event.metadataJson,
  }));
  return {
    kind: 'append',
    stream: command.stream,
    envelopes,
    nextExpectedRevision: firstRevision + envelopes.length - 1,
    lastPosition: firstPosition + envelopes.length - 1,
  };
}

/** What the adapter reads, under its write lock, for a group of appends committed together. */
export interface AppendGroupState {
  /** Recorded events whose id is any id of the group. */
  recorded: RecordedEventSummary[];
  /** Current revision of each stream of the group that has events. */
  streamRevisions: ReadonlyMap<string, number>;
  chainTip: ChainTip | null;
  nowMs: number;
}

export interface AppendGroupDecision {
  /** One per command, in order: its decision, or the typed error that refuses it (and only it). */
  outcomes: Array<AppendDecision | EvidenceError>;
  /** Every envelope to write, in position order, continuing the chain tip. */
  envelopes: UnhashedEnvelope[];
}

/**
 * Decides several appends that will be committed in one transaction (group commit: one lock, one fsync),
 * exactly as if they had been appended one after the other in this order. Each sees the effects of the
 * ones before it (revisions, ids, positions), so a retry racing its original inside one group is still
 * recognised, and one refused append does not affect the others.
 */
export function decideAppendGroup(commands: AppendCommand[], state: AppendGroupState): AppendGroupDecision {
  const recorded = new Map(state.recorded.map((r) => [r.id, r]));
  const streamRevisions = new Map(state.streamRevisions);
  let chainTip = state.chainTip;
  const envelopes: UnhashedEnvelope[] = [];
  const outcomes = commands.map((command): AppendDecision | EvidenceError => {
    try {
      const decision = decideAppend(command, {
        recordedWithSameIds: command.events.flatMap((e) => recorded.get(e.id) ?? []),
        streamRevision: streamRevisions.get(command.stream) ?? null,
        chainTip,
        nowMs: state.nowMs,
      });
      if (decision.kind === 'append') {
        for (const e of decision.envelopes) {
          recorded.set(e.id, {
            id: e.id,
            stream: e.stream,
            type: e.type,
            revision: e.revision,
            position: e.position,
            dataJson: e.dataJson,
            metadataJson: e.metadataJson,
          });
          envelopes.push(e);
        }
        const last = decision.envelopes[decision.envelopes.length - 1];
        streamRevisions.set(command.stream, last.revision);
        chainTip = { position: last.position, recordedAt: last.recordedAt };
      }
      return decision;
    } catch (error) {
      if (error instanceof EvidenceError) return error;
      throw error;
    }
  });
  return { outcomes, envelopes };
}
