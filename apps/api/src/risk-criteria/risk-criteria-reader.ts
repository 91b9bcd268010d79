/**
 * The organisation's risk criteria as their evidence records them (6.1.1, 6.1.2): folded from the
 * `risk-criteria-organisation` stream one event at a time, so what the API reads, and what an assessment
 * is scored with, is the record an auditor reads, never a caller's input.
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  criteriaInForce,
  DEFAULT_RISK_CRITERIA,
  evolveRecorded,
  INITIAL_RISK_CRITERIA_STATE,
  RISK_CRITERIA_STREAM,
  type RiskCriteriaSnapshot,
  type RiskCriteriaState,
} from '../../../../domain/risk-criteria';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import { EVENT_STORE } from '../stores/store.tokens';
import type { RiskCriteriaViewDto } from './risk-criteria.dto';

@Injectable()
export class RiskCriteriaReader {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  async current(): Promise<RiskCriteriaState> {
    let state = INITIAL_RISK_CRITERIA_STATE;
    for await (const e of this.events.readStream(RISK_CRITERIA_STREAM)) state = evolveRecorded(state, e);
    return state;
  }

  /** The version in force as an assessment records it, or null before the first approval. */
  async inForce(): Promise<RiskCriteriaSnapshot | null> {
    const v = criteriaInForce(await this.current());
    return v === null ? null : { version: v.version, content: v.content };
  }
}

/** The built-in set, shown (flagged as not approved) until a version is approved. */
export const DEFAULT_CRITERIA_VIEW = { version: 0, content: DEFAULT_RISK_CRITERIA } as const;

/** What GET /v1/risk-criteria answers: the version in force (or the default, flagged), versions, drafts. */
export function riskCriteriaView(s: RiskCriteriaState): RiskCriteriaViewDto {
  const versions = s.versions.map((v) => ({
    version: v.version,
    content: { ...v.content },
    draftId: v.draftId,
    approvedBy: { ...v.approvedBy },
    approvedAt: v.approvedAt,
  }));
  const inForce = versions.at(-1) ?? {
    ...DEFAULT_CRITERIA_VIEW,
    content: { ...DEFAULT_CRITERIA_VIEW.content },
    draftId: null,
    approvedBy: null,
    approvedAt: null,
  };
  return { inForce, isDefault: versions.length === 0, versions, drafts: s.drafts.map((d) => ({ ...d })) };
}
