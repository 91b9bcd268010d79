/** The AI risk register (6.1.2, 6.1.3, 8.2, 8.3): each risk's level, appetite, owner, status and reassessment date. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Checkbox, Input, Label, TextField } from 'react-aria-components';
import { Link } from 'wouter';
import { answer, api } from '../api/client';
import type { operations } from '../api/openapi';
import { Empty, Loading, ProblemNotice } from '../components/states';
import { Pager } from '../components/pager';
import { Time } from '../components/time';

type Query = NonNullable<operations['RisksController_list']['parameters']['query']>;

export function RisksPage() {
  const [system, setSystem] = useState('');
  const [aboveAppetite, setAboveAppetite] = useState(false);
  const [cursors, setCursors] = useState<string[]>([]);
  const query: Query = {
    system: system.trim() || undefined,
    aboveAppetite: aboveAppetite ? true : undefined,
    limit: 100,
    cursor: cursors.at(-1),
  };
  const risks = useQuery({
    queryKey: ['risks', query],
    queryFn: () => answer(api.GET('/v1/risks', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <h1>Risk register</h1>
      <div className="filters" role="group" aria-label="Filters">
        <TextField
          className="filter"
          value={system}
          onChange={(v) => {
            setCursors([]);
            setSystem(v);
          }}
        >
          <Label>AI system</Label>
          <Input placeholder="system id" />
        </TextField>
        <Checkbox
          className="checkbox"
          isSelected={aboveAppetite}
          onChange={(v) => {
            setCursors([]);
            setAboveAppetite(v);
          }}
        >
          <span className="box" aria-hidden="true">
            {aboveAppetite ? '✓' : ''}
          </span>
          Above appetite only
        </Checkbox>
      </div>
      {risks.isPending ? (
        <Loading what="the risk register" />
      ) : risks.error ? (
        <ProblemNotice error={risks.error} />
      ) : risks.data.items.length === 0 ? (
        <Empty>No risk matches.</Empty>
      ) : (
        <table>
          <caption className="visually-hidden">Risks</caption>
          <thead>
            <tr>
              <th scope="col">Risk</th>
              <th scope="col">AI system</th>
              <th scope="col">Level</th>
              <th scope="col">Appetite</th>
              <th scope="col">Owner</th>
              <th scope="col">Status</th>
              <th scope="col">Reassess by</th>
            </tr>
          </thead>
          <tbody>
            {risks.data.items.map((r) => (
              <tr key={r.riskId}>
                <th scope="row">
                  {r.riskId}
                  <div className="muted small">{r.description}</div>
                </th>
                <td>{r.systemId === null ? '—' : <Link href={`/ai-systems/${encodeURIComponent(r.systemId)}`}>{r.systemId}</Link>}</td>
                <td>{r.level ?? 'not assessed'}</td>
                <td>{r.aboveAppetite ? <span className="badge danger">above</span> : 'within'}</td>
                <td>{r.owner}</td>
                <td>{r.status.replace(/_/g, ' ')}</td>
                <td>
                  <Time at={r.reassessmentDueAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager cursors={cursors} next={risks.data?.nextCursor} onChange={setCursors} />
    </>
  );
}
