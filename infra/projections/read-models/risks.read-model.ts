/**
 * The risk register (6.1.2, 8.2): one row per `risk-<id>` stream, folded with the risk domain's own
 * `evolve`. The criteria's stream (`risk-criteria-organisation`) shares the prefix and is no risk: a
 * stream becomes a row only from its identification. Filter columns answer the API's list.
 */
import { evolve, nextActionDueAt, type Risk, type RiskEvent, type RiskState } from '../../../domain/risk';
import { RISK_CRITERIA_STREAM } from '../../../domain/risk-criteria';
import type { RecordedEvidenceEvent } from '../../ports/event-store.port';
import type { Projected, ReadModelDefinition } from '../../ports/read-model-store.port';

export interface RiskRow {
  riskId: string;
  stream: string;
  systemId: string | null;
  owner: string;
  status: Risk['status'];
  /** The level that stands now: the residual once recorded, else the inherent one. */
  level: string | null;
  aboveAppetite: boolean;
  /** When the first unfinished action of the approved plan falls overdue (an instant: a date alone is the end of that day, UTC). */
  nextActionDueAt: string | null;
  reassessmentDueAt: string | null;
  identifiedAt: string;
  identifiedPosition: number;
  updatedAt: string;
  lastPosition: number;
}

const RISK_PREFIX = 'risk-';

function summarise(r: Risk, event: RecordedEvidenceEvent, before: RiskRow | undefined): RiskRow {
  const score = r.residual ?? r.inherent;
  return {
    riskId: r.riskId,
    stream: event.stream,
    systemId: r.systemId,
    owner: r.owner,
    status: r.status,
    level: score?.level ?? null,
    aboveAppetite: score?.aboveAppetite ?? false,
    nextActionDueAt: nextActionDueAt(r),
    reassessmentDueAt: r.reassessmentDueAt,
    identifiedAt: before?.identifiedAt ?? event.recordedAt,
    identifiedPosition: before?.identifiedPosition ?? event.position,
    updatedAt: event.recordedAt,
    lastPosition: event.position,
  };
}

export const RISKS: ReadModelDefinition<RiskRow, RiskState> = {
  name: 'risks',
  // 2: next_action_due_at holds the instant an approved plan's action falls overdue (1 held its raw due date).
  version: 2,
  columns: [
    { name: 'system_id', type: 'text', value: (r) => r.systemId },
    { name: 'owner', type: 'text', value: (r) => r.owner },
    { name: 'status', type: 'text', value: (r) => r.status },
    { name: 'level', type: 'text', value: (r) => r.level },
    { name: 'above_appetite', type: 'integer', value: (r) => (r.aboveAppetite ? 1 : 0) },
    { name: 'next_action_due_at', type: 'text', value: (r) => r.nextActionDueAt },
    { name: 'reassessment_due_at', type: 'text', value: (r) => r.reassessmentDueAt },
    { name: 'identified_position', type: 'integer', orderable: true, value: (r) => r.identifiedPosition },
  ],
  indexes: [['system_id'], ['owner'], ['above_appetite']],
  keyOf: (event) =>
    event.stream.startsWith(RISK_PREFIX) && event.stream !== RISK_CRITERIA_STREAM ? event.stream.slice(RISK_PREFIX.length) : null,
  apply(current: Projected<RiskRow, RiskState> | null, event: RecordedEvidenceEvent) {
    // A stream that does not begin with an identification is not a risk's.
    if (current === null && event.type !== 'RiskIdentified') return null;
    const state = evolve(current?.state ?? null, { ...event.data, type: event.type } as unknown as RiskEvent);
    if (state === null || state === current?.state) return current;
    return { row: summarise(state, event, current?.row), state };
  },
};
