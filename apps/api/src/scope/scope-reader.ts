/**
 * The AIMS scope as the evidence records it: the statement in force, its versions and the per-system
 * decisions, folded from the scope's own stream (as of any instant or position); the reconciliation judges
 * the inventory as the `ai_systems` read model keeps it now, or, as of an earlier time, as the lifecycles'
 * evidence folds up to it.
 */
import { Inject, Injectable } from '@nestjs/common';
import { evolve as evolveAiSystem } from '../../../../domain/ai-system/evolve';
import type { AiSystemEvent } from '../../../../domain/ai-system/events';
import { INITIAL_AI_SYSTEM_STATE, isRegistered, type AiSystemState } from '../../../../domain/ai-system/model';
import {
  AIMS_SCOPE_STREAM,
  evolveRecorded,
  INITIAL_AIMS_SCOPE_STATE,
  reconcileScope,
  statementInForce,
  type AimsScopeState,
  type InventorySystem,
  type ScopeReconciliation,
} from '../../../../domain/aims-scope';
import type { AsOf, EventStore } from '../../../../infra/ports/event-store.port';
import type { ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import { AI_SYSTEM_INVENTORY } from '../../../../infra/projections/read-models';
import { EVENT_STORE, READ_MODEL_STORE } from '../stores/store.tokens';
import { parseAsOf } from '../common/ids';
import { invalidField } from '../common/problems';
import type { ScopeViewDto } from './scope.dto';
import { ScopeDocuments, type ScopeDocumentStanding } from './scope-document';

function asOfOf(raw: string | undefined): { position: number } | { time: string } | undefined {
  if (raw === undefined) return undefined;
  const parsed = parseAsOf(raw);
  if (parsed === null) throw invalidField('asOf', 'must be an ISO 8601 instant, a date (YYYY-MM-DD) or a position');
  return parsed;
}

@Injectable()
export class ScopeReader {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly documents: ScopeDocuments,
  ) {}

  async state(asOf?: AsOf): Promise<AimsScopeState> {
    let state = INITIAL_AIMS_SCOPE_STATE;
    for await (const e of this.events.readStream(AIMS_SCOPE_STREAM, asOf === undefined ? {} : { asOf })) state = evolveRecorded(state, e);
    return state;
  }

  /** The statement in force, every version (each replaced one kept), proposals awaiting approval, and the decisions. */
  async viewAt(raw: string | undefined): Promise<ScopeViewDto> {
    const asOf = asOfOf(raw);
    const s = await this.state(asOf);
    const inForce = statementInForce(s);
    return {
      document: await this.documents.standing(
        inForce?.document,
        asOf !== undefined && 'time' in asOf ? asOf.time : new Date().toISOString(),
      ),
      version: s.version,
      inForce,
      versions: s.versions,
      pending: s.proposals.filter((p) => p.status === 'awaiting_approval'),
      decisions: Object.values(s.decisions).sort((a, b) => a.systemId.localeCompare(b.systemId)),
      systems: Object.values(s.systems).sort((a, b) => a.systemId.localeCompare(b.systemId)),
    };
  }

  /** The inventory against the decisions (`aims scope check`): as the read model holds it now, or as of an instant. */
  async checkAt(raw: string | undefined): Promise<ScopeReconciliation & { at: string; document: ScopeDocumentStanding | null }> {
    const asOf = asOfOf(raw);
    if (asOf !== undefined && !('time' in asOf)) throw invalidField('asOf', 'the check takes an instant or a date, not a position');
    const at = asOf?.time ?? new Date().toISOString();
    const systems = asOf === undefined ? await this.inventoryNow() : await this.inventoryAsOf(asOf.time);
    const state = await this.state(asOf);
    return { ...reconcileScope(state, systems), at, document: await this.documents.standing(statementInForce(state)?.document, at) };
  }

  private async inventoryNow(): Promise<InventorySystem[]> {
    const out: InventorySystem[] = [];
    for await (const p of this.readModels.scan(AI_SYSTEM_INVENTORY)) if (isRegistered(p.state)) out.push(inventoryOf(p.state));
    return out;
  }

  /** Every lifecycle folded from its evidence up to `time` (recordedAt never decreases along positions). */
  private async inventoryAsOf(time: string): Promise<InventorySystem[]> {
    const states = new Map<string, AiSystemState>();
    for await (const e of this.events.readAll({ categories: ['ai-system'] })) {
      if (e.recordedAt > time) break;
      const before = states.get(e.stream) ?? INITIAL_AI_SYSTEM_STATE;
      states.set(e.stream, evolveAiSystem(before, { ...e.data, type: e.type } as unknown as AiSystemEvent));
    }
    return [...states.values()].filter(isRegistered).map(inventoryOf);
  }
}

function inventoryOf(s: AiSystemState): InventorySystem {
  if (!isRegistered(s)) throw new Error('bug: an unregistered system in the inventory');
  return { systemId: s.profile.systemId, name: s.profile.name, stage: s.stage };
}
