/**
 * One AI system (/ai-systems/:id): its record, open tasks (decided here by whoever they are open to),
 * versions and deployments, linked nonconformities, and its lifecycle as a timeline of evidence.
 */
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Button } from 'react-aria-components';
import { Link } from 'wouter';
import { answer, api } from '../api/client';
import type { operations } from '../api/openapi';
import { DecideForm } from '../components/decide-form';
import { EvidenceTimeline } from '../components/evidence-timeline';
import { Empty, Loading, ProblemNotice } from '../components/states';
import { TaskSummary } from '../components/task-card';
import { Time } from '../components/time';

export function AiSystemPage({ systemId }: { systemId: string }) {
  const path = { params: { path: { id: systemId } } };
  const system = useQuery({ queryKey: ['ai-system', systemId], queryFn: () => answer(api.GET('/v1/ai-systems/{id}', path)) });
  const tasks = useQuery({
    queryKey: ['tasks', 'ai-system', systemId],
    queryFn: () => answer(api.GET('/v1/ai-systems/{id}/tasks', { params: { path: { id: systemId }, query: { limit: 100 } } })),
  });
  // Typed on its own: openapi-fetch's parameter types do not catch a misspelt query field inline.
  const ncQuery: operations['NonconformitiesController_list']['parameters']['query'] = { system: systemId, limit: 100 };
  const ncs = useQuery({
    queryKey: ['nonconformities', ncQuery],
    queryFn: () => answer(api.GET('/v1/nonconformities', { params: { query: ncQuery } })),
  });
  const evidence = useInfiniteQuery({
    queryKey: ['evidence', 'ai-system', systemId],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      answer(api.GET('/v1/ai-systems/{id}/evidence', { params: { path: { id: systemId }, query: { limit: 200, cursor: pageParam } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  if (system.isPending) return <Loading what={`AI system ${systemId}`} />;
  if (system.error) return <ProblemNotice error={system.error} />;
  const s = system.data;
  return (
    <>
      <p className="crumbs">
        <Link href="/ai-systems">AI systems</Link> / {s.systemId}
      </p>
      <h1>{s.name}</h1>
      <dl className="facts">
        <dt>Stage</dt>
        <dd>{s.stage.replace(/_/g, ' ')}</dd>
        <dt>Risk tier</dt>
        <dd>{s.riskTier}</dd>
        <dt>Owner</dt>
        <dd>{s.owner}</dd>
        <dt>Provider</dt>
        <dd>
          {s.provider.kind.replace(/_/g, ' ')}
          {s.provider.supplier ? ` (${s.provider.supplier})` : ''}
        </dd>
        <dt>Purpose</dt>
        <dd>{s.purpose}</dd>
        <dt>Registered</dt>
        <dd>
          <Time at={s.registeredAt} />
        </dd>
        <dt>In production</dt>
        <dd>{s.productionVersion ?? 'none'}</dd>
        <dt>Candidate</dt>
        <dd>{s.candidateVersion ?? 'none'}</dd>
      </dl>

      <section aria-labelledby="tasks-heading">
        <h2 id="tasks-heading">Open tasks</h2>
        {tasks.isPending ? (
          <Loading what="open tasks" />
        ) : tasks.error ? (
          <ProblemNotice error={tasks.error} />
        ) : tasks.data.items.length === 0 ? (
          <Empty>No task is open for this system.</Empty>
        ) : (
          <ol className="cards" aria-label="Open tasks of this system">
            {tasks.data.items.map((task) => (
              <li key={task.taskId}>
                <TaskSummary task={task} />
                <DecideForm task={task} />
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="versions-heading">
        <h2 id="versions-heading">Versions and deployments</h2>
        {s.versions.length === 0 ? (
          <Empty>No version proposed yet.</Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Artifact digest</th>
                <th scope="col">Proposed</th>
                <th scope="col">Deployed to</th>
              </tr>
            </thead>
            <tbody>
              {s.versions.map((v) => (
                <tr key={v.modelVersion}>
                  <th scope="row">{v.modelVersion}</th>
                  <td>
                    <code>{v.artifactDigest}</code>
                  </td>
                  <td>
                    <Time at={v.proposedAt} />
                  </td>
                  <td>{v.deployedEnvironments.join(', ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="ncs-heading">
        <h2 id="ncs-heading">Nonconformities</h2>
        {ncs.isPending ? (
          <Loading what="nonconformities" />
        ) : ncs.error ? (
          <ProblemNotice error={ncs.error} />
        ) : ncs.data.items.length === 0 ? (
          <Empty>None raised about this system.</Empty>
        ) : (
          <ul>
            {ncs.data.items.map((nc) => (
              <li key={nc.nonconformityId}>
                <Link href={`/nonconformities/${encodeURIComponent(nc.nonconformityId)}`}>{nc.title}</Link>{' '}
                <span className="muted">
                  {nc.severity} · {nc.status.replace(/_/g, ' ')}
                </span>
                {nc.overdue && <span className="badge danger">overdue</span>}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Lifecycle evidence</h2>
        {evidence.isPending ? (
          <Loading what="evidence" />
        ) : evidence.error ? (
          <ProblemNotice error={evidence.error} />
        ) : (
          <EvidenceTimeline events={evidence.data.pages.flatMap((p) => p.items)} label="Evidence of this system, oldest first" />
        )}
        {evidence.hasNextPage && (
          <Button isDisabled={evidence.isFetchingNextPage} onPress={() => void evidence.fetchNextPage()}>
            More evidence
          </Button>
        )}
      </section>
    </>
  );
}
