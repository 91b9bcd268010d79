/**
 * Performance evaluation (9.1) as the API serves it: every computed measure as of an instant, folded in one
 * forward read of the evidence (domain/measures; memory bounded by what the measures track, never by the
 * store), each with its trend: the last N measurements objectives recorded of it (ObjectiveMeasured) up to
 * that instant. Manual measures appear once an objective has recorded one. These are the figures the
 * management review takes as input.
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  COMPUTED_MEASURE_IDS,
  foldMeasures,
  MEASURE_DEFINITIONS,
  MEASURED_EVENT_TYPES,
  measuresAt,
  startMeasures,
  type MeasureResult,
} from '../../../../domain/measures/measures';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import { EVENT_STORE } from '../stores/store.tokens';

export type TrendPoint = { value: number | null; onTarget: boolean | null; objectiveId: string; at: string; position: number };
export type MeasureFigure = Omit<MeasureResult, 'measureId' | 'unit'> & {
  measureId: string;
  title: string;
  unit: string;
  trend: TrendPoint[];
};
export type MeasuresReport = { asOf: string; position: number; measures: MeasureFigure[] };

@Injectable()
export class MeasuresReader {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async asOf(asOf: string, last: number): Promise<MeasuresReport> {
    const fold = startMeasures();
    const trends = new Map<string, TrendPoint[]>();
    let position = 0;
    const head = await this.store.head();
    if (head !== null) {
      for await (const e of this.store.readAll({ toPosition: head.position, types: [...MEASURED_EVENT_TYPES, 'ObjectiveMeasured'] })) {
        if (e.recordedAt > asOf) continue;
        position = e.position;
        if (e.type !== 'ObjectiveMeasured') {
          foldMeasures(fold, { id: e.id, stream: e.stream, type: e.type, position: e.position, recordedAt: e.recordedAt, data: e.data });
          continue;
        }
        const d = e.data;
        if (typeof d.measureId !== 'string') continue;
        // Only the last `last` points per measure are kept, so memory does not grow with the history.
        const points = trends.get(d.measureId) ?? [];
        points.push({
          value: typeof d.value === 'number' ? d.value : null,
          onTarget: typeof d.onTarget === 'boolean' ? d.onTarget : null,
          objectiveId: typeof d.objectiveId === 'string' ? d.objectiveId : '',
          at: typeof d.at === 'string' ? d.at : e.recordedAt,
          position: e.position,
        });
        if (points.length > last) points.shift();
        trends.set(d.measureId, points);
      }
    }
    const computed: MeasureFigure[] = measuresAt(fold, asOf).map((m) => ({
      ...m,
      title: MEASURE_DEFINITIONS[m.measureId].title,
      trend: trends.get(m.measureId) ?? [],
    }));
    const manual: MeasureFigure[] = [...trends.entries()]
      .filter(([id]) => !(COMPUTED_MEASURE_IDS as readonly string[]).includes(id))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([measureId, trend]) => {
        const latest = trend[trend.length - 1];
        return {
          measureId,
          title: `Entered by people (${measureId.slice('manual:'.length)})`,
          unit: 'manual',
          value: latest.value,
          reason: latest.value === null ? 'the latest measurement has no value' : null,
          breakdown: {},
          evidence: [],
          trend,
        };
      });
    return { asOf, position, measures: [...computed, ...manual] };
  }
}
