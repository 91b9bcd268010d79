/**
 * One measure (/measures/:id, 9.1): its figure now, what it rests on, and its trend over the last
 * measurements objectives recorded of it, drawn and tabled, with the objectives that use it (the target
 * line when one objective alone does).
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { answer, api, type Schemas } from '../api/client';
import { Empty, Loading, ProblemNotice } from '../components/states';
import { Time } from '../components/time';
import { measurementsWord, plainNumber, targetWords, Trend } from '../components/trend';
import { FigureValue, UNIT_WORDS } from './measures';
import { objectiveHref, objectiveView, type ObjectiveView } from './objective-view';
import { TargetBadge } from './objectives';

/** The API's longest trend (MAX_TREND_POINTS). */
const TREND_POINTS = 50;
const DAY = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

type Figure = Schemas['MeasureFigureDto'];

function trendSummary(m: Figure, target: ObjectiveView | null): string {
  const values = m.trend.filter((p) => p.value !== null);
  const line = target?.target != null ? `; target ${targetWords(target.direction, target.target)}` : '';
  if (values.length === 0) return `Trend of ${m.measureId}: no recorded value yet${line}`;
  const first = DAY.format(new Date(m.trend[0].at));
  const last = DAY.format(new Date(m.trend[m.trend.length - 1].at));
  return (
    `Trend of ${m.measureId}: ${measurementsWord(m.trend.length)} from ${first} to ${last}${line}; ` +
    `latest ${plainNumber(values[values.length - 1].value ?? 0)}`
  );
}

export function MeasurePage({ measureId }: { measureId: string }) {
  const measures = useQuery({
    queryKey: ['measures', 'trend', TREND_POINTS],
    queryFn: () => answer(api.GET('/v1/measures', { params: { query: { last: TREND_POINTS } } })),
  });
  const users = useQuery({
    queryKey: ['objectives', { measureId }],
    queryFn: () => answer(api.GET('/v1/objectives', { params: { query: { measureId, limit: 100 } } })),
  });
  if (measures.isPending) return <Loading what={`measure ${measureId}`} />;
  if (measures.error) return <ProblemNotice error={measures.error} />;
  const m = measures.data.measures.find((x) => x.measureId === measureId);
  const crumbs = (
    <p className="crumbs">
      <Link href="/objectives">AI objectives</Link> / <Link href="/measures">Measures</Link> / {measureId}
    </p>
  );
  if (m === undefined)
    return (
      <>
        {crumbs}
        <h1>Measure {measureId}</h1>
        <Empty>No such measure yet: a manual measure appears once an objective has recorded a value of it.</Empty>
      </>
    );
  const objectives = users.data?.items.map(objectiveView) ?? [];
  // The target is drawn only when one objective uses the measure: two objectives may aim at different targets.
  const only = objectives.length === 1 ? objectives[0] : null;
  const breakdown = Object.entries(m.breakdown);
  return (
    <>
      {crumbs}
      <h1>{m.title}</h1>
      <dl className="facts">
        <dt>Measure</dt>
        <dd>
          <code>{m.measureId}</code>
        </dd>
        <dt>Value</dt>
        <dd>
          <FigureValue m={m} /> <span className="muted">({UNIT_WORDS[m.unit] ?? m.unit})</span>, as of <Time at={measures.data.asOf} />
        </dd>
        <dt>Rests on</dt>
        <dd>{m.evidence.length === 0 ? '—' : `${m.evidence.length} evidence events`}</dd>
      </dl>
      {breakdown.length > 0 && (
        <table>
          <caption>How the value is made up</caption>
          <tbody>
            {breakdown.map(([k, v]) => (
              <tr key={k}>
                <th scope="row">{k.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()}</th>
                <td>{plainNumber(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section aria-labelledby="measure-objectives-heading">
        <h2 id="measure-objectives-heading">Objectives on this measure</h2>
        {users.isPending ? (
          <Loading what="the objectives" />
        ) : users.error ? (
          <ProblemNotice error={users.error} />
        ) : objectives.length === 0 ? (
          <Empty>No objective uses this measure.</Empty>
        ) : (
          <ul>
            {objectives.map((o) => (
              <li key={o.id}>
                <Link href={objectiveHref(o.id)}>{o.id}</Link> {o.title}: {o.target === null ? '' : targetWords(o.direction, o.target)}{' '}
                <TargetBadge measurement={o.latest} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="measure-trend-heading">
        <h2 id="measure-trend-heading">Trend</h2>
        {m.trend.length === 0 ? (
          <Empty>No objective has recorded this measure yet.</Empty>
        ) : (
          <>
            <Trend
              caption={`${m.trend.length === 1 ? 'The one measurement' : `The last ${m.trend.length} measurements`} of it that objectives recorded${only?.target != null ? '; the dashed line is the target' : ''}. The figures are in the table below.`}
              label={trendSummary(m, only)}
              points={m.trend}
              target={only?.target ?? null}
              format={plainNumber}
              wholeNumbers={m.unit === 'count'}
            />
            <table>
              <caption className="visually-hidden">Measurements of {m.measureId}, oldest first</caption>
              <thead>
                <tr>
                  <th scope="col">Measured</th>
                  <th scope="col">Value</th>
                  <th scope="col">Objective</th>
                  <th scope="col">Result</th>
                </tr>
              </thead>
              <tbody>
                {m.trend.map((p) => (
                  <tr key={p.position}>
                    <th scope="row">
                      <Time at={p.at} />
                    </th>
                    <td>{p.value === null ? <span className="muted">no value</span> : plainNumber(p.value)}</td>
                    <td>{p.objectiveId === '' ? '—' : <Link href={objectiveHref(p.objectiveId)}>{p.objectiveId}</Link>}</td>
                    <td>
                      {p.onTarget === null ? (
                        '—'
                      ) : p.onTarget ? (
                        <span className="badge ok">on target</span>
                      ) : (
                        <span className="badge danger">off target</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </>
  );
}
