/**
 * The AI-system inventory (A.4.2) with its filters; each system opens at /ai-systems/:id. The server sends
 * it a page at a time (the next page read as the reader nears the end, or on "More AI systems"); the table
 * renders only the rows near the viewport, so an inventory of thousands stays fast.
 */
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { Button, Input, Label, TextField } from 'react-aria-components';
import { Link } from 'wouter';
import { answer, api, type Schemas } from '../api/client';
import type { operations } from '../api/openapi';
import { FilterSelect } from '../components/filter-select';
import { Empty, Loading, ProblemNotice } from '../components/states';
import { Time } from '../components/time';
import { spacedRows, useVirtualRows } from '../components/virtual-rows';

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
  const query = { stage, riskTier, provider, owner: owner.trim() || undefined, limit: 100 };
  const systems = useInfiniteQuery({
    queryKey: ['ai-systems', query],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => answer(api.GET('/v1/ai-systems', { params: { query: { ...query, cursor: pageParam } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = systems;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const items = systems.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <h1>AI systems</h1>
      <div className="filters" role="group" aria-label="Filters">
        <FilterSelect label="Stage" values={STAGES} value={stage} onChange={(v) => setStage(v as Stage | undefined)} />
        <FilterSelect label="Risk tier" values={RISK_TIERS} value={riskTier} onChange={(v) => setRiskTier(v as RiskTier | undefined)} />
        <FilterSelect label="Provider" values={PROVIDERS} value={provider} onChange={(v) => setProvider(v as Provider | undefined)} />
        <TextField className="filter" value={owner} onChange={setOwner}>
          <Label>Owner</Label>
          <Input placeholder="actor id" />
        </TextField>
      </div>
      {systems.isPending ? (
        <Loading what="the inventory" />
      ) : systems.error ? (
        <ProblemNotice error={systems.error} />
      ) : items.length === 0 ? (
        <Empty>No AI system matches.</Empty>
      ) : (
        <SystemTable items={items} more={hasNextPage} loadMore={loadMore} />
      )}
      {hasNextPage && (
        <div className="buttons">
          <Button isDisabled={isFetchingNextPage} onPress={loadMore}>
            More AI systems
          </Button>
        </div>
      )}
    </>
  );
}

const COLUMNS = [
  ['System', '20%'],
  ['Stage', '12%'],
  ['Risk tier', '8%'],
  ['Owner', '13%'],
  ['Provider', '11%'],
  ['In production', '11%'],
  ['Open tasks', '8%'],
  ['Last evidence', '17%'],
] as const;

/**
 * The systems, a row for each near the viewport (fixed column widths: rows coming and going do not move the
 * columns). aria-rowcount says how many rows are loaded (-1 while the server holds more) and aria-rowindex
 * where each shown row stands, the heading row being the first.
 */
function SystemTable({ items, more, loadMore }: { items: Schemas['AiSystemDto'][]; more: boolean; loadMore: () => void }) {
  const rows = useVirtualRows<HTMLTableSectionElement>({ count: items.length, estimateSize: 62, onNearEnd: more ? loadMore : undefined });
  return (
    <table className="virtual" aria-rowcount={more ? -1 : items.length + 1}>
      <caption className="visually-hidden">AI systems</caption>
      <thead>
        <tr aria-rowindex={1}>
          {COLUMNS.map(([label, width]) => (
            <th key={label} scope="col" style={{ width }}>
              {label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody ref={rows.container} {...rows.focusHandlers}>
        {spacedRows(rows.items, rows.totalSize, rows.offset, COLUMNS.length, (item) => {
          const s = items[item.index];
          return (
            <tr key={s.systemId} ref={rows.measure} data-index={item.index} aria-rowindex={item.index + 2}>
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
          );
        })}
      </tbody>
    </table>
  );
}
