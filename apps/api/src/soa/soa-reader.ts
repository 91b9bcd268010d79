/**
 * The SoA and its controls' status as the evidence records them. The SoA (in force as of any point) is
 * folded from its own stream; the rules judge the lifecycles as the `ai_systems` read model keeps them
 * now, or, as of an earlier time, as their evidence folds up to it (read straight from the store).
 */
import { Inject, Injectable } from '@nestjs/common';
import { evolve as evolveAiSystem } from '../../../../domain/ai-system/evolve';
import type { AiSystemEvent } from '../../../../domain/ai-system/events';
import { INITIAL_AI_SYSTEM_STATE, isRegistered, type AiSystemRecord, type AiSystemState } from '../../../../domain/ai-system/model';
import { controlJudge, evolveRecorded, INITIAL_SOA_STATE, SOA_STREAM, soaView, type SoaState, type SoaView } from '../../../../domain/soa';
import type { AsOf, EventStore, RecordedEvidenceEvent } from '../../../../infra/ports/event-store.port';
import type { ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import { AI_SYSTEM_INVENTORY } from '../../../../infra/projections/read-models';
import { EVENT_STORE, READ_MODEL_STORE } from '../stores/store.tokens';
import { EvidenceReader } from '../audit/evidence-reader';
import { parseAsOf } from '../common/ids';
import { invalidField, notFound } from '../common/problems';
import type { ControlViewDto, SoaGapsDto } from './soa.dto';
import { soaGaps } from '../../../../domain/soa';

/** `asOf` as an instant: dates and instants only (a position says nothing about the lifecycles' clocks). */
function instantOf(raw: string | undefined): { time: string } | undefined {
  if (raw === undefined) return undefined;
  const parsed = parseAsOf(raw);
  if (parsed === null || !('time' in parsed)) throw invalidField('asOf', 'must be an ISO 8601 instant or a date (YYYY-MM-DD)');
  return parsed;
}

@Injectable()
export class SoaReader {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly evidence: EvidenceReader,
  ) {}

  viewAt(asOf: string | undefined): Promise<SoaView> {
    return this.view(instantOf(asOf));
  }

  async gapsAt(asOf: string | undefined): Promise<SoaGapsDto> {
    const view = await this.view(instantOf(asOf));
    return { revisionId: view.revisionId, at: view.at, gaps: soaGaps(view) };
  }

  /** One control of the SoA in force, with its evidence (the evidence tagged with it, up to `asOf`). */
  async controlAt(controlId: string, asOf: string | undefined): Promise<ControlViewDto> {
    const when = instantOf(asOf);
    const view = await this.view(when);
    const row = view.controls.find((c) => c.controlId === controlId);
    if (row === undefined) throw notFound('control', controlId, ` in the SoA in force${asOf === undefined ? '' : ` as of ${asOf}`}`);
    const evidence = controlId.startsWith('A.')
      ? await this.evidence.events({ reference: controlId, asOf: when, limit: 100 })
      : await this.ownControlEvidence(controlId, when);
    return {
      ...row,
      revisionId: view.revisionId,
      at: view.at,
      evidence: evidence.items.map((e) => ({ ...e })),
      evidenceNextCursor: evidence.nextCursor,
    };
  }

  /**
   * An own control carries no Annex A tag, so no evidence is tagged with it: its evidence is what the SoA
   * records of it, its attestations (the latest 100, as of the point).
   */
  private async ownControlEvidence(
    controlId: string,
    asOf?: { time: string },
  ): Promise<{ items: RecordedEvidenceEvent[]; nextCursor: null }> {
    const items: RecordedEvidenceEvent[] = [];
    for await (const e of this.events.readStream(SOA_STREAM, asOf === undefined ? {} : { asOf: asOf as AsOf }))
      if (e.type === 'ControlStatusAttested' && e.data.controlId === controlId) items.push(e);
    return { items: items.slice(-100), nextCursor: null };
  }

  async state(asOf?: { time: string }): Promise<SoaState> {
    let state = INITIAL_SOA_STATE;
    for await (const e of this.events.readStream(SOA_STREAM, asOf === undefined ? {} : { asOf: asOf as AsOf }))
      state = evolveRecorded(state, e);
    return state;
  }

  /** The SoA in force at `asOf` (now when absent) with each control's status at that instant. */
  async view(asOf?: { time: string }): Promise<SoaView> {
    const at = asOf?.time ?? new Date().toISOString();
    const judge = controlJudge(at);
    if (asOf === undefined) {
      for await (const p of this.readModels.scan(AI_SYSTEM_INVENTORY)) if (isRegistered(p.state)) judge.add(p.state);
    } else {
      for (const s of await this.systemsAsOf(asOf.time)) judge.add(s);
    }
    return soaView(await this.state(asOf), judge.verdicts(), at);
  }

  /** Every lifecycle folded from its evidence up to `time` (recordedAt never decreases along positions). */
  private async systemsAsOf(time: string): Promise<AiSystemRecord[]> {
    const states = new Map<string, AiSystemState>();
    for await (const e of this.events.readAll({ categories: ['ai-system'] })) {
      if (e.recordedAt > time) break;
      const before = states.get(e.stream) ?? INITIAL_AI_SYSTEM_STATE;
      states.set(e.stream, evolveAiSystem(before, { ...e.data, type: e.type } as unknown as AiSystemEvent));
    }
    return [...states.values()].filter(isRegistered);
  }
}
