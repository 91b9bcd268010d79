/**
 * An objective as the pages show it. The API's ObjectiveDto carries the definition, the measurements and
 * the actions as plain JSON (domain/objective's shapes); they are read here field by field, so a field the
 * evidence lacks shows as "—" instead of breaking the page.
 */
import type { Schemas } from '../api/client';

type Json = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});

export type MeasurementView = {
  sequence: number | null;
  at: string;
  value: number | null;
  reason: string | null;
  target: number | null;
  direction: string | null;
  onTarget: boolean | null;
  by: string | null;
};

export type ObjectiveView = {
  id: string;
  title: string;
  status: string;
  revision: number;
  commitmentText: string | null;
  commitmentRef: string | null;
  measureId: string;
  target: number | null;
  direction: string;
  dueDate: string | null;
  owner: string;
  interval: string | null;
  offTargetAction: string | null;
  offTargetSeverity: string | null;
  setAt: string;
  setBy: string | null;
  nextMeasurementAt: string | null;
  measurementCount: number;
  measurements: MeasurementView[];
  latest: MeasurementView | null;
  offTarget: boolean;
  actions: Array<{ kind: string | null; actionId: string; at: string | null }>;
  withdrawn: { reason: string | null; by: string | null; at: string | null } | null;
};

export function objectiveView(o: Schemas['ObjectiveDto']): ObjectiveView {
  const d = o.definition;
  const commitment = obj(d.commitment);
  const measurements = o.measurements.map((m): MeasurementView => ({
    sequence: num(m.sequence),
    at: str(m.at) ?? '',
    value: num(m.value),
    reason: str(m.reason),
    target: num(m.target),
    direction: str(m.direction),
    onTarget: typeof m.onTarget === 'boolean' ? m.onTarget : null,
    by: str(obj(m.by).id),
  }));
  return {
    id: o.objectiveId,
    title: str(d.title) ?? o.objectiveId,
    status: o.status,
    revision: o.revision,
    commitmentText: str(commitment.text),
    commitmentRef: str(commitment.documentRef),
    measureId: str(d.measureId) ?? '',
    target: num(d.target),
    direction: str(d.direction) ?? 'at_least',
    dueDate: str(d.dueDate),
    owner: str(d.owner) ?? '—',
    interval: str(d.interval),
    offTargetAction: str(d.offTargetAction),
    offTargetSeverity: str(d.offTargetSeverity),
    setAt: o.setAt,
    setBy: str(o.setBy.id),
    nextMeasurementAt: o.nextMeasurementAt,
    measurementCount: o.measurementCount,
    measurements,
    latest: measurements.at(-1) ?? null,
    offTarget: o.offTarget,
    actions: o.actions.map((a) => ({ kind: str(a.kind), actionId: str(a.actionId) ?? '', at: str(a.at) })),
    withdrawn: o.withdrawn === null ? null : { reason: str(o.withdrawn.reason), by: str(obj(o.withdrawn.by).id), at: str(o.withdrawn.at) },
  };
}

/** An ISO 8601 duration as words where it is a plain one (P7D: every 7 days), else as written. */
export function intervalWords(interval: string | null): string {
  if (interval === null) return '—';
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(interval);
  if (m === null || (m[1] ?? m[2] ?? m[3]) === undefined) return interval;
  const parts = [
    [m[1], 'day'],
    [m[2], 'hour'],
    [m[3], 'minute'],
  ]
    .filter(([n]) => n !== undefined && n !== '0')
    .map(([n, unit]) => `${n} ${unit}${n === '1' ? '' : 's'}`);
  return parts.length === 0 ? interval : `every ${parts.join(' ')}`;
}

/** The measure's own page (computed measures and manual ones alike; its id may hold a colon). */
export const measureHref = (measureId: string): string => `/measures/${encodeURIComponent(measureId)}`;
export const objectiveHref = (objectiveId: string): string => `/objectives/${encodeURIComponent(objectiveId)}`;
