/**
 * Computes the AIMS's measures (9.1) from the evidence store: one forward read of the log, page by page,
 * folded as it goes (domain/measures), so memory never grows with the store. `asOf` cuts the evidence at
 * what was recorded by that instant and is the instant the figures are for; the answer names the last
 * position folded, which an objective records with its measurement.
 */
import { ApplicationFailure } from '@temporalio/activity';
import {
  foldMeasures,
  MEASURED_EVENT_TYPES,
  isComputedMeasureId,
  measuresAt,
  startMeasures,
  type ComputedMeasureId,
  type MeasureResult,
} from '../domain/measures/measures';
import { isInstant } from '../domain/shared/iso-time';
import type { EventStore } from '../infra/ports/event-store.port';

export interface ComputeMeasuresInput {
  /** The instant the figures are for; evidence recorded after it is left out. */
  asOf: string;
}
export interface ComputedMeasures {
  asOf: string;
  /** The last position of the evidence the measures read (0 when the store held none). */
  position: number;
  measures: MeasureResult[];
}

/** The fold itself, for the activity and for the API's GET /v1/measures. */
export async function computeMeasuresFrom(store: EventStore, asOf: string): Promise<ComputedMeasures> {
  const fold = startMeasures();
  const head = await store.head();
  if (head !== null) {
    for await (const e of store.readAll({ toPosition: head.position, types: [...MEASURED_EVENT_TYPES] })) {
      // Skipped rather than ending the read: nothing here relies on recordedAt rising with the position.
      if (e.recordedAt > asOf) continue;
      foldMeasures(fold, { id: e.id, stream: e.stream, type: e.type, position: e.position, recordedAt: e.recordedAt, data: e.data });
    }
  }
  return { asOf, position: fold.lastPosition, measures: measuresAt(fold, asOf) };
}

export interface MeasuresActivities {
  computeMeasure(input: ComputeMeasuresInput & { measureId: string }): Promise<ComputedMeasures & { measure: MeasureResult }>;
}

export function createMeasuresActivities(store: EventStore): MeasuresActivities {
  return {
    async computeMeasure(input) {
      if (!isInstant(input?.asOf) || !isComputedMeasureId(input?.measureId))
        throw ApplicationFailure.nonRetryable('a computed measure id and an ISO 8601 instant are required', 'INVALID_MEASURE_REQUEST');
      const computed = await computeMeasuresFrom(store, input.asOf);
      const measure = computed.measures.find((m) => m.measureId === (input.measureId as ComputedMeasureId)) as MeasureResult;
      return { ...computed, measure };
    },
  };
}
