/** The AI-system inventory (A.4.2) with its filters; each system opens at /ai-systems/:id. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Input, Label, TextField } from 'react-aria-components';
import { Link } from 'wouter';
import { answer, api, type Schemas } from '../api/client';
import type { operations } from '../api/openapi';
import { FilterSelect } from '../components/filter-select';
import { Empty, Loading, ProblemNotice } from '../components/states';
import { Time } from '../components/time';

type Query = NonNullable<operations['AiSystemsController_list']['parameters']['query']>;
type Stage = NonNullable<Query['stage']>;
type RiskTier = NonNullable<Query['riskTier']>;
type Provider = NonNullable<Query['provider']>;

/** The filters' values, checked against the contract's enums (a value the API drops fails the type check). */
const STAGES = [
  'registered',
  'impact_assessment',
  'validation',
  'deployment_approval',
  'in_production',
  'decommissioning',
  'decommissioned',
] as const satisfies readonly Stage[];
const RISK_TIERS = ['minimal', 'limited', 'high', 'unacceptable'] as const satisfies readonly RiskTier[];
const PROVIDERS = ['in_house', 'deployed', 'third_party_api'] as const satisfies readonly Provider[];

export function AiSystemsPage() {
  const [stage, setStage] = useState<Stage>();
  const [riskTier, setRiskTier] = useState<RiskTier>();
  const [provider, setProvider] = useState<Provider>();
  const [owner, setOwner] = useState('');
  const [cursor, setCursor] = useState<string[]>([]);
  const query = { stage, riskTier, provider, owner: owner.trim() || undefined, limit: 50, cursor: cursor.at(-1) };
  const systems = useQuery({
    queryKey: ['ai-systems', query],
    queryFn: () => answer(api.GET('/v1/ai-systems', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const reset =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      setCursor([]);
      set(v);
    };
  return (
    <>
      <h1>AI systems</h1>
      <div className="filters" role="group" aria-label="Filters">
        <FilterSelect label="Stage" values={STAGES} value={stage} onChange={reset((v) => setStage(v as Stage | undefined))} />
        <FilterSelect
          label="Risk tier"
          values={RISK_TIERS}
          value={riskTier}
          onChange={reset((v) => setRiskTier(v as RiskTier | undefined))}
        />
        <FilterSelect
          label="Provider"
          values={PROVIDERS}
          value={provider}
          onChange={reset((v) => setProvider(v as Provider | undefined))}
        />
        <TextField className="filter" value={owner} onChange={reset(setOwner)}>
          <Label>Owner</Label>
          <Input placeholder="actor id" />
        </TextField>
      </div>
      {systems.isPending ? (
        <Loading what="the inventory" />
      ) : systems.error ? (
        <ProblemNotice error={systems.error} />
      ) : systems.data.items.length === 0 ? (
        <Empty>No AI system matches.</Empty>
      ) : (
        <SystemTable items={systems.data.items} />
      )}
      <div className="buttons">
        {cursor.length > 0 && <Button onPress={() => setCursor(cursor.slice(0, -1))}>Previous page</Button>}
        {systems.data?.nextCursor && <Button onPress={() => setCursor([...cursor, systems.data.nextCursor ?? ''])}>Next page</Button>}
      </div>
    </>
  );
}

function SystemTable({ items }: { items: Schemas['AiSystemDto'][] }) {
  return (
    <table>
      <caption className="visually-hidden">AI systems</caption>
      <thead>
        <tr>
          <th scope="col">System</th>
          <th scope="col">Stage</th>
          <th scope="col">Risk tier</th>
          <th scope="col">Owner</th>
          <th scope="col">Provider</th>
          <th scope="col">In production</th>
          <th scope="col">Open tasks</th>
          <th scope="col">Last evidence</th>
        </tr>
      </thead>
      <tbody>
        {items.map((s) => (
          <tr key={s.systemId}>
            <th scope="row">
              <Link href={`/ai-systems/${encodeURIComponent(s.systemId)}`}>{s.name}</Link>
              <div className="muted">{s.systemId}</div>
            </th>
            <td>{s.stage.replace(/_/g, ' ')}</td>
            <td>{s.riskTier}</td>
            <td>{s.owner}</td>
            <td>{s.provider.kind.replace(/_/g, ' ')}</td>
            <td>{s.productionVersion ?? '—'}</td>
            <td>{s.openTaskCount}</td>
            <td>
              <Time at={s.updatedAt} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
