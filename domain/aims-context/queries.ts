/**
 * Pure reads of the context registers: the entries of a register, those due for review, and what changed
 * since a position or an instant (what a management review takes as input, 9.3.2 b).
 */
import type { JsonObject } from '../shared/json';
import type { AimsContextState, ContextEntry, ContextRegister } from './model';

export function entriesOf(s: AimsContextState, register: ContextRegister, includeRetired = false): ContextEntry[] {
  return Object.values(s.entries)
    .filter((e) => e.register === register && (includeRetired || e.status === 'active'))
    .sort((a, b) => a.entryId.localeCompare(b.entryId, 'en', { numeric: true }));
}

/** Active entries whose review date (YYYY-MM-DD) is before `date`. */
export function dueForReview(s: AimsContextState, date: string): ContextEntry[] {
  return Object.values(s.entries).filter((e) => e.status === 'active' && e.reviewBy < date.slice(0, 10));
}

/** One recorded event of the context stream, as the evidence store gives it. */
export type RecordedContextEvent = { type: string; data: JsonObject; position: number; recordedAt: string };

export type ContextChange = {
  entryId: string;
  register: ContextRegister | null;
  change: 'added' | 'revised' | 'reviewed' | 'retired';
  version: number;
  at: string;
  position: number;
  by: string;
  /** The reason, or the review's note. */
  why: string;
};

/** Since a global evidence position (exclusive) or an instant (exclusive). */
export type ContextSince = { position: number } | { time: string };

/**
 * Every change to the registers after `since`, in the order recorded, each with the entry, what kind of
 * change it was, who made it and why. Events of other types are ignored.
 */
export function contextChangesSince(events: Iterable<RecordedContextEvent>, since: ContextSince): ContextChange[] {
  const out: ContextChange[] = [];
  const registers = new Map<string, ContextRegister>();
  for (const e of events) {
    const d = e.data as Record<string, unknown>;
    const entryId = String(d.entryId);
    if (e.type === 'ContextEntryRecorded') registers.set(entryId, d.register as ContextRegister);
    const after = 'position' in since ? e.position > since.position : e.recordedAt > since.time;
    if (!after) continue;
    const actor = d.by as { id?: unknown } | undefined;
    const by = typeof actor?.id === 'string' ? actor.id : '';
    const base = {
      entryId,
      register: registers.get(entryId) ?? null,
      version: Number(d.version),
      at: typeof d.at === 'string' ? d.at : e.recordedAt,
      position: e.position,
      by,
    };
    if (e.type === 'ContextEntryRecorded')
      out.push({ ...base, change: Number(d.version) === 1 ? 'added' : 'revised', why: String(d.reason) });
    else if (e.type === 'ContextEntryReviewed') out.push({ ...base, change: 'reviewed', why: String(d.note) });
    else if (e.type === 'ContextEntryRetired') out.push({ ...base, change: 'retired', why: String(d.reason) });
  }
  return out;
}
