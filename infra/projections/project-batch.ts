/**
 * The pure heart of the projector: a batch of events and the current rows they touch in, the rows to
 * write out. No I/O; both store adapters call it inside their transaction.
 */
import type { RecordedEvidenceEvent } from '../ports/event-store.port';
import type { AnyReadModel, Projected } from '../ports/read-model-store.port';

/** model name → key → current row (null: none stored). */
export type LoadedRows = Map<string, Map<string, Projected<unknown, unknown> | null>>;

/** A derived row as written: its key and row (it keeps no fold state). */
export interface DerivedRow {
  key: string;
  row: unknown;
}

export interface BatchOutcome {
  /** model name → key → row to write (null: delete). Only keys whose row changed. */
  changes: Map<string, Map<string, Projected<unknown, unknown> | null>>;
  /**
   * model name → source group (`derivedGroup(from, key)`) → every row now derived from that source row:
   * they replace whatever that group held. Only groups whose source row changed.
   */
  derived: Map<string, Map<string, DerivedRow[]>>;
  skipped: Array<{ position: number; model: string; error: string }>;
  lastPosition: number;
}

/** The keys each model needs loaded before `projectBatch` can run. */
export function keysTouched(models: readonly AnyReadModel[], events: readonly RecordedEvidenceEvent[]): Map<string, Set<string>> {
  const keys = new Map<string, Set<string>>(models.map((m) => [m.name, new Set<string>()]));
  for (const event of events) {
    for (const model of models) {
      const key = model.keyOf(event);
      if (key !== null) keys.get(model.name)?.add(key);
    }
  }
  return keys;
}

export function projectBatch(
  models: readonly AnyReadModel[],
  events: readonly RecordedEvidenceEvent[],
  loaded: LoadedRows,
  afterPosition: number,
): BatchOutcome {
  const working = new Map<string, Map<string, Projected<unknown, unknown> | null>>();
  const changed = new Map<string, Set<string>>();
  const skipped: BatchOutcome['skipped'] = [];
  let lastPosition = afterPosition;
  for (const model of models) {
    working.set(model.name, new Map(loaded.get(model.name) ?? []));
    changed.set(model.name, new Set());
  }
  for (const event of events) {
    if (event.position <= lastPosition) {
      throw new RangeError(`events must follow position ${lastPosition} in order; got ${event.position}`);
    }
    lastPosition = event.position;
    for (const model of models) {
      const key = model.keyOf(event);
      if (key === null) continue;
      const rows = working.get(model.name) as Map<string, Projected<unknown, unknown> | null>;
      const current = rows.get(key) ?? null;
      let next: Projected<unknown, unknown> | null;
      try {
        next = model.apply(current, event);
      } catch (error) {
        // Evidence cannot be corrected, so an event a read model cannot fold must not stop every other
        // projection forever: it is skipped for that model (the same way on every rebuild) and reported.
        skipped.push({ position: event.position, model: model.name, error: error instanceof Error ? error.message : String(error) });
        continue;
      }
      if (next === current) continue;
      // Rows are stored as JSON between batches; folding the JSON form here too makes the result the same
      // however the events were cut into batches (live, or one rebuild), e.g. with undefined fields.
      rows.set(key, next === null ? null : (JSON.parse(JSON.stringify(next)) as Projected<unknown, unknown>));
      changed.get(model.name)?.add(key);
    }
  }
  const changes = new Map<string, Map<string, Projected<unknown, unknown> | null>>();
  for (const model of models) {
    const rows = working.get(model.name) as Map<string, Projected<unknown, unknown> | null>;
    const keys = changed.get(model.name) as Set<string>;
    changes.set(model.name, new Map([...keys].map((k) => [k, rows.get(k) ?? null])));
  }
  const derived = new Map<string, Map<string, DerivedRow[]>>();
  for (const model of models) {
    const groups = new Map<string, DerivedRow[]>();
    for (const derivation of model.derived ?? []) {
      const sourceRows = working.get(derivation.from.name);
      for (const key of changed.get(derivation.from.name) ?? []) {
        const source = sourceRows?.get(key) ?? null;
        try {
          // The JSON form, as for folded rows: the same whether live or rebuilt.
          const rows =
            source === null
              ? []
              : derivation.rowsOf(source, key).map((r) => ({ key: r.key, row: JSON.parse(JSON.stringify(r.row)) as unknown }));
          groups.set(derivedGroup(derivation.from, key), rows);
        } catch (error) {
          // As for an event a model cannot fold: reported, and the rows derived before stay.
          skipped.push({
            position: lastPosition,
            model: model.name,
            error: `rows derived from ${derivation.from.name} ${key}: ${error instanceof Error ? error.message : String(error)}`,
          });
        }
      }
    }
    derived.set(model.name, groups);
  }
  return { changes, derived, skipped, lastPosition };
}

/** The group of rows derived from one source row: what a batch replaces as a whole. */
export function derivedGroup(from: AnyReadModel, sourceKey: string): string {
  return `${from.name}/${sourceKey}`;
}

/** Identifies the set of definitions the stored rows were built with. */
export function modelsFingerprint(models: readonly AnyReadModel[]): string {
  return models
    .map((m) => `${m.name}@${m.version}`)
    .sort()
    .join(',');
}

/** The read-model names a fingerprint mentions (to drop tables of models that no longer exist). */
export function modelNamesIn(fingerprint: string): string[] {
  return fingerprint === '' ? [] : fingerprint.split(',').map((entry) => entry.replace(/@\d+$/, ''));
}
