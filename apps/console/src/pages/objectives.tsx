/**
 * AI objectives (6.2) and where each stands (9.1): its measure, target and due date, the latest
 * measurement marked on or off target, owner and status; filtered and paged by the server. Each opens at
 * /objectives/:id with its trend.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Input, Label, TextField } from 'react-aria-components';
import { Link } from 'wouter';
import { answer, api } from '../api/client';
import type { operations } from '../api/openapi';
import { FilterSelect } from '../components/filter-select';
import { Empty, Loading, ProblemNotice } from '../components/states';
import { Pager } from '../components/pager';
import { Time } from '../components/time';
import { plainNumber, targetWords } from '../components/trend';
import { measureHref, objectiveHref, objectiveView, type MeasurementView } from './objective-view';

type Query = NonNullable<operations['ObjectivesController_list']['parameters']['query']>;

const STATUSES = ['active', 'withdrawn'] as const;
const TARGET_CHOICES = ['on target', 'off target'] as const;

/** Where the latest measurement stands, in words (never colour alone). */
export function TargetBadge({ measurement }: { measurement: MeasurementView | null }) {
  if (measurement === null) return <span className="badge">not measured yet</span>;
  if (measurement.value === null) return <span className="badge warn">no value</span>;
  return measurement.onTarget ? <span className="badge ok">on target</span> : <span className="badge danger">off target</span>;
}

export function ObjectivesPage() {
  const [status, setStatus] = useState<(typeof STATUSES)[number] | undefined>();
  const [onTarget, setOnTarget] = useState<(typeof TARGET_CHOICES)[number] | undefined>();
  const [owner, setOwner] = useState('');
  const [measure, setMeasure] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const query: Query = {
    status,
    owner: owner.trim() || undefined,
    measureId: measure.trim() || undefined,
    onTarget: onTarget === undefined ? undefined : String(onTarget === 'on target'),
    limit: 50,
    cursor: cursors.at(-1),
  };
  const objectives = useQuery({
    queryKey: ['objectives', query],
    queryFn: () => answer(api.GET('/v1/objectives', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const filtered = <T,>(set: (v: T) => void) => {
    return (v: T) => {
      setCursors([]);
      set(v);
    };
  };
  return (
    <>
      <h1>AI objectives</h1>
      <p className="muted">
        Each objective measured on its interval (clauses 6.2 and 9.1). <Link href="/measures">All measures and their trends</Link>
      </p>
      <div className="filters" role="group" aria-label="Filters">
        <FilterSelect
          label="Status"
          values={STATUSES}
          value={status}
          onChange={filtered((v) => setStatus(v as (typeof STATUSES)[number] | undefined))}
        />
        <FilterSelect
          label="Latest measurement"
          values={TARGET_CHOICES}
          value={onTarget}
          onChange={filtered((v) => setOnTarget(v as (typeof TARGET_CHOICES)[number] | undefined))}
        />
        <TextField className="filter" value={owner} onChange={filtered(setOwner)}>
          <Label>Owner</Label>
          <Input placeholder="owner id" />
        </TextField>
        <TextField className="filter" value={measure} onChange={filtered(setMeasure)}>
          <Label>Measure</Label>
          <Input placeholder="measure id" />
        </TextField>
      </div>
      {objectives.isPending ? (
        <Loading what="the objectives" />
      ) : objectives.error ? (
        <ProblemNotice error={objectives.error} />
      ) : objectives.data.items.length === 0 ? (
        <Empty>No objective matches.</Empty>
      ) : (
        <table>
          <caption className="visually-hidden">AI objectives</caption>
          <thead>
            <tr>
              <th scope="col">Objective</th>
              <th scope="col">Measure</th>
              <th scope="col">Target</th>
              <th scope="col">Latest</th>
              <th scope="col">Owner</th>
              <th scope="col">Status</th>
              <th scope="col">Due</th>
            </tr>
          </thead>
          <tbody>
            {objectives.data.items.map(objectiveView).map((o) => (
              <tr key={o.id}>
                <th scope="row">
                  <Link href={objectiveHref(o.id)}>{o.id}</Link>
                  <div className="muted small">{o.title}</div>
                </th>
                <td>
                  <Link href={measureHref(o.measureId)}>{o.measureId}</Link>
                </td>
                <td>{o.target === null ? '—' : targetWords(o.direction, o.target)}</td>
                <td>
                  {o.latest?.value != null && <>{plainNumber(o.latest.value)} </>}
                  <TargetBadge measurement={o.latest} />
                </td>
                <td>{o.owner}</td>
                <td>{o.status}</td>
                <td className="nowrap">{o.dueDate === null ? '—' : <DueDate at={o.dueDate} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager cursors={cursors} next={objectives.data?.nextCursor} onChange={setCursors} />
    </>
  );
}

/** A due date as set: a calendar date stays a date (no zone to convert), an instant shows in the reader's zone. */
export function DueDate({ at }: { at: string }) {
  return /^\d{4}-\d{2}-\d{2}$/.test(at) ? <time dateTime={at}>{at}</time> : <Time at={at} />;
}
