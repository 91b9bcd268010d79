/**
 * One AI objective (/objectives/:id): what it commits to and who answers for it, its target, and its
 * measurements as a trend with the target drawn in, the same figures as a table; what it opened when it
 * missed the target, and its revision.
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { answer, api } from '../api/client';
import { Empty, Loading, ProblemNotice } from '../components/states';
import { Time } from '../components/time';
import { measurementsWord, plainNumber, targetWords, Trend } from '../components/trend';
import { AUDIT_READERS, holdsAny, useMe } from '../me';
import { intervalWords, measureHref, objectiveView, type ObjectiveView } from './objective-view';
import { DueDate, TargetBadge } from './objectives';

const DAY = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** The chart's accessible name: what it shows, over which span, and where the latest figure stands. */
function trendSummary(o: ObjectiveView): string {
  const values = o.measurements.filter((m) => m.value !== null);
  const target = o.target === null ? '' : `; target ${targetWords(o.direction, o.target)}`;
  if (values.length === 0) return `Trend of ${o.measureId} for ${o.id}: no measured value yet${target}`;
  const first = DAY.format(new Date(o.measurements[0].at));
  const last = DAY.format(new Date(o.measurements[o.measurements.length - 1].at));
  const latest = values[values.length - 1];
  const offCount = values.filter((m) => m.onTarget === false).length;
  return (
    `Trend of ${o.measureId} for ${o.id}: ${measurementsWord(o.measurements.length)} from ${first} to ${last}` +
    `${target}; latest ${plainNumber(latest.value ?? 0)}, ${latest.onTarget ? 'on target' : 'off target'}; ` +
    `${offCount} of ${values.length} off target`
  );
}

export function ObjectivePage({ objectiveId }: { objectiveId: string }) {
  const me = useMe();
  const objective = useQuery({
    queryKey: ['objective', objectiveId],
    queryFn: () => answer(api.GET('/v1/objectives/{id}', { params: { path: { id: objectiveId } } })),
  });
  if (objective.isPending) return <Loading what={`objective ${objectiveId}`} />;
  if (objective.error) return <ProblemNotice error={objective.error} />;
  const o = objectiveView(objective.data);
  const stream = `objective-${o.id}`;
  return (
    <>
      <p className="crumbs">
        <Link href="/objectives">AI objectives</Link> / {o.id}
      </p>
      <h1>{o.title}</h1>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          {o.status} <TargetBadge measurement={o.latest} />
        </dd>
        <dt>Commitment</dt>
        <dd>
          {o.commitmentText ?? '—'}
          {o.commitmentRef !== null && <span className="muted"> (policy: {o.commitmentRef})</span>}
        </dd>
        <dt>Owner</dt>
        <dd>{o.owner}</dd>
        <dt>Target</dt>
        <dd>
          {o.target === null ? '—' : targetWords(o.direction, o.target)}
          {o.dueDate !== null && (
            <>
              {' '}
              by <DueDate at={o.dueDate} />
            </>
          )}
        </dd>
        <dt>Measure</dt>
        <dd>
          <Link href={measureHref(o.measureId)}>{o.measureId}</Link>, {intervalWords(o.interval)}
        </dd>
        <dt>Next measurement</dt>
        <dd>{o.status === 'withdrawn' ? 'none: withdrawn' : <Time at={o.nextMeasurementAt} />}</dd>
        <dt>When off target</dt>
        <dd>
          {o.offTargetAction === 'nonconformity'
            ? `raises a ${o.offTargetSeverity ?? ''} nonconformity`
            : o.offTargetAction === 'action'
              ? 'opens an improvement action'
              : '—'}
        </dd>
        <dt>Revision</dt>
        <dd>
          {o.revision}, {o.revision > 1 ? 'revised' : 'set'} <Time at={o.setAt} /> by {o.setBy ?? '—'}
          {holdsAny(me, AUDIT_READERS) && (
            <>
              {' '}
              (<Link href={`/evidence/streams/${encodeURIComponent(stream)}`}>every revision in its evidence</Link>)
            </>
          )}
        </dd>
        {o.withdrawn !== null && (
          <>
            <dt>Withdrawn</dt>
            <dd>
              <Time at={o.withdrawn.at} /> by {o.withdrawn.by ?? '—'}: {o.withdrawn.reason ?? '—'}
            </dd>
          </>
        )}
      </dl>
      <section aria-labelledby="trend-heading">
        <h2 id="trend-heading">Trend</h2>
        {o.measurements.length === 0 ? (
          <Empty>Not measured yet.</Empty>
        ) : (
          <>
            <Trend
              caption={
                o.measurementCount > o.measurements.length
                  ? `The latest ${o.measurements.length} of ${o.measurementCount} measurements; the dashed line is the target. The figures are in the table below.`
                  : 'Every measurement; the dashed line is the target. The figures are in the table below.'
              }
              label={trendSummary(o)}
              points={o.measurements}
              target={o.target}
              format={plainNumber}
              wholeNumbers={[o.target, ...o.measurements.map((m) => m.value)].every((v) => v === null || Number.isInteger(v))}
            />
            <MeasurementTable o={o} />
          </>
        )}
      </section>
      <section aria-labelledby="actions-heading">
        <h2 id="actions-heading">Opened when off target</h2>
        {o.actions.length === 0 ? (
          <Empty>Nothing opened: no measurement has missed the target since it was last met.</Empty>
        ) : (
          <ul>
            {o.actions.map((a) => (
              <li key={a.actionId}>
                {a.kind === 'nonconformity' ? (
                  <>
                    Nonconformity <Link href={`/nonconformities/${encodeURIComponent(a.actionId)}`}>{a.actionId}</Link>
                  </>
                ) : (
                  <>Improvement action {a.actionId}</>
                )}{' '}
                <Time at={a.at} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function MeasurementTable({ o }: { o: ObjectiveView }) {
  return (
    <table>
      <caption className="visually-hidden">Measurements of {o.id}, oldest first</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Measured</th>
          <th scope="col">Value</th>
          <th scope="col">Target then</th>
          <th scope="col">Result</th>
          <th scope="col">By</th>
        </tr>
      </thead>
      <tbody>
        {o.measurements.map((m, i) => (
          <tr key={m.sequence ?? i}>
            <th scope="row">{m.sequence ?? '—'}</th>
            <td>
              <Time at={m.at} />
            </td>
            <td>{m.value === null ? <span className="muted">no value: {m.reason ?? 'not given'}</span> : plainNumber(m.value)}</td>
            <td>{m.target === null ? '—' : targetWords(m.direction ?? o.direction, m.target)}</td>
            <td>
              <TargetBadge measurement={m} />
            </td>
            <td>{m.by ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
