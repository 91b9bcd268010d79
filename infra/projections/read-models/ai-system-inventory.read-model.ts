/**
 * The AI-system inventory (A.4.2 resources, A.6.2 lifecycle): one row per `ai-system-<id>` stream, folded
 * with the lifecycle domain's own `evolve`, so the inventory can never disagree with the lifecycle about
 * stage, versions or profile. The full domain state is kept as the fold state; the row is its summary.
 */
import { evolve } from '../../../domain/ai-system/evolve';
import type { AiSystemEvent } from '../../../domain/ai-system/events';
import { systemIdOfStream } from '../../../domain/ai-system/identity';
import {
  INITIAL_AI_SYSTEM_STATE,
  isRegistered,
  type AiSystemState,
  type LifecycleStage,
  type ModelVersionStatus,
  type ProviderKind,
  type RiskTier,
} from '../../../domain/ai-system/model';
import type { RecordedEvidenceEvent } from '../../ports/event-store.port';
import type { Projected, ReadModelDefinition } from '../../ports/read-model-store.port';

export interface AiSystemVersionSummary {
  modelVersion: string;
  artifactDigest: string;
  status: ModelVersionStatus;
  proposedAt: string;
  deployedEnvironments: string[];
}

export interface AiSystemInventoryRow {
  systemId: string;
  stream: string;
  name: string;
  purpose: string;
  intendedUse: string;
  /** Actor id of the person accountable for the system. */
  owner: string;
  provider: { kind: ProviderKind; supplier: string | null };
  riskTier: RiskTier;
  stage: LifecycleStage;
  versions: AiSystemVersionSummary[];
  candidateVersion: string | null;
  productionVersion: string | null;
  openTaskCount: number;
  registeredAt: string;
  /** When the evidence store recorded the latest event of the system. */
  updatedAt: string;
  /** Global position of that event: a reader can tell how fresh the row is. */
  lastPosition: number;
  lastRevision: number;
}

/** The stored envelope as the domain event it records (data is the event minus its type). */
function asDomainEvent(event: RecordedEvidenceEvent): AiSystemEvent {
  return { ...event.data, type: event.type } as unknown as AiSystemEvent;
}

function summarise(state: AiSystemState, stream: string, event: RecordedEvidenceEvent): AiSystemInventoryRow | null {
  if (!isRegistered(state)) return null;
  const p = state.profile;
  return {
    systemId: p.systemId,
    stream,
    name: p.name,
    purpose: p.purpose,
    intendedUse: p.intendedUse,
    owner: p.owner,
    provider: { kind: p.provider.kind, supplier: p.provider.supplier ?? null },
    riskTier: p.riskTier,
    stage: state.stage,
    versions: state.versions.map((v) => ({
      modelVersion: v.modelVersion,
      artifactDigest: v.artifactDigest,
      status: v.status,
      proposedAt: v.proposedAt,
      deployedEnvironments: [...v.deployedEnvironments],
    })),
    candidateVersion: state.candidateVersion,
    productionVersion: state.production?.modelVersion ?? null,
    openTaskCount: state.tasks.filter((t) => t.status === 'open').length,
    registeredAt: state.registeredAt,
    updatedAt: event.recordedAt,
    lastPosition: event.position,
    lastRevision: event.revision,
  };
}

export const AI_SYSTEM_INVENTORY: ReadModelDefinition<AiSystemInventoryRow, AiSystemState> = {
  name: 'ai_systems',
  version: 1,
  columns: [
    { name: 'stage', type: 'text', value: (r) => r.stage },
    { name: 'risk_tier', type: 'text', value: (r) => r.riskTier },
    { name: 'owner', type: 'text', value: (r) => r.owner },
    { name: 'provider_kind', type: 'text', value: (r) => r.provider.kind },
    { name: 'supplier', type: 'text', value: (r) => r.provider.supplier },
    { name: 'name', type: 'text', orderable: true, value: (r) => r.name },
  ],
  indexes: [['stage'], ['risk_tier'], ['owner'], ['provider_kind']],
  keyOf: (event) => systemIdOfStream(event.stream),
  apply(current: Projected<AiSystemInventoryRow, AiSystemState> | null, event: RecordedEvidenceEvent) {
    const before = current?.state ?? INITIAL_AI_SYSTEM_STATE;
    const state = evolve(before, asDomainEvent(event));
    const row = summarise(state, event.stream, event);
    if (row === null) return current;
    return { row, state };
  },
};
