/**
 * Pure reads of the scope: what a statement says about a system or service, the statement in force, and
 * the reconciliation of the inventory against the decisions (`aims scope check`).
 */
import type { AiSystemScopeDecisionRecord, AimsScopeState, ScopeStatement, ScopeStatementVersion } from './model';

/** What the statement says about one system or third-party service id, or null when it does not name it. */
export function statementSays(statement: ScopeStatement, id: string): { inScope: boolean; justification: string } | null {
  if (statement.systemsIn.includes(id)) return { inScope: true, justification: 'named in scope by the scope statement' };
  const out = statement.systemsOut.find((x) => x.systemId === id);
  if (out) return { inScope: false, justification: out.justification };
  const service = statement.thirdPartyServices.find((x) => x.serviceId === id);
  if (service) return { inScope: service.inScope, justification: service.justification };
  return null;
}

export function statementInForce(s: AimsScopeState): ScopeStatementVersion | null {
  return s.versions.find((x) => x.version === s.version) ?? null;
}

/** A system of the inventory as the read model knows it. */
export type InventorySystem = { systemId: string; name: string; stage: string };

export type ScopeInventoryItem = {
  id: string;
  kind: 'ai_system' | 'third_party_service';
  name: string;
  decision: {
    inScope: boolean;
    justification: string;
    basis: AiSystemScopeDecisionRecord['basis'] | { kind: 'statement'; version: number };
  } | null;
};

export type ScopeContradiction = {
  systemId: string;
  decided: boolean;
  statementSays: boolean;
  decision: AiSystemScopeDecisionRecord;
  version: number;
};

export type ScopeReconciliation = {
  /** The statement version in force (null: none approved yet). */
  version: number | null;
  reconciled: boolean;
  inventory: ScopeInventoryItem[];
  /** Registered systems (and third-party services) with no scope decision. */
  withoutDecision: string[];
  /** Decisions that the statement in force says otherwise. */
  contradictions: ScopeContradiction[];
  /** Systems the statement names that no lifecycle registered. */
  namedNotRegistered: string[];
};

/**
 * The inventory (registered systems from the read model, the third-party AI services the statement in force
 * names) against the decisions: systems without a decision, decisions contradicting the statement in force,
 * and systems the statement names that are not registered. Decommissioned systems are left out.
 */
export function reconcileScope(s: AimsScopeState, systems: readonly InventorySystem[]): ScopeReconciliation {
  const inForce = statementInForce(s);
  const live = systems.filter((x) => x.stage !== 'decommissioned');
  const inventory: ScopeInventoryItem[] = live.map((x) => {
    const d = s.decisions[x.systemId];
    return {
      id: x.systemId,
      kind: 'ai_system',
      name: x.name,
      decision: d === undefined ? null : { inScope: d.inScope, justification: d.justification, basis: d.basis },
    };
  });
  for (const service of inForce?.statement.thirdPartyServices ?? []) {
    inventory.push({
      id: service.serviceId,
      kind: 'third_party_service',
      name: `${service.description} (${service.provider})`,
      decision: {
        inScope: service.inScope,
        justification: service.justification,
        basis: { kind: 'statement', version: inForce?.version ?? 0 },
      },
    });
  }
  const withoutDecision = inventory.filter((i) => i.decision === null).map((i) => i.id);
  const contradictions: ScopeContradiction[] = [];
  if (inForce !== null) {
    for (const d of Object.values(s.decisions)) {
      const says = statementSays(inForce.statement, d.systemId);
      if (says !== null && says.inScope !== d.inScope)
        contradictions.push({
          systemId: d.systemId,
          decided: d.inScope,
          statementSays: says.inScope,
          decision: d,
          version: inForce.version,
        });
    }
  }
  const registered = new Set(systems.map((x) => x.systemId));
  const named = inForce === null ? [] : [...inForce.statement.systemsIn, ...inForce.statement.systemsOut.map((x) => x.systemId)];
  const namedNotRegistered = named.filter((id) => !registered.has(id));
  return {
    version: inForce?.version ?? null,
    reconciled: withoutDecision.length === 0 && contradictions.length === 0 && namedNotRegistered.length === 0,
    inventory,
    withoutDecision,
    contradictions,
    namedNotRegistered,
  };
}
