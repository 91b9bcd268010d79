/**
 * One controlled document (/documents/:id, `?asOf=` for the document as it stood then): every version,
 * current and obsolete, with who wrote, reviewed and approved it (role and when) and its text fetched by
 * its digest; the acknowledgements still outstanding (7.3), periodic reviews and open tasks. Decisions are
 * taken in the task inbox, where each open task links to.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, ToggleButton } from 'react-aria-components';
import { Link } from 'wouter';
import { answer, api } from '../api/client';
import { num, obj, objects, str, strings, words, type Loose } from '../api/loose';
import { Actor } from '../components/actor';
import { AsOfForm, asOfSearch, useAsOfParam } from '../components/as-of-form';
import { Empty, Loading, ProblemNotice } from '../components/states';
import { Time } from '../components/time';
import { DocumentStatus } from './documents';

const VERSION_STATUS: Record<string, { label: string; badge: string }> = {
  in_review: { label: 'in review', badge: 'badge' },
  awaiting_approval: { label: 'reviewed, awaiting approval', badge: 'badge' },
  changes_requested: { label: 'changes requested', badge: 'badge warn' },
  rejected: { label: 'rejected', badge: 'badge danger' },
  published: { label: 'in force', badge: 'badge ok' },
  obsolete: { label: 'obsolete', badge: 'badge' },
  withdrawn: { label: 'withdrawn', badge: 'badge' },
};

function VersionStatus({ status }: { status: string | null }) {
  const known = VERSION_STATUS[status ?? ''] ?? { label: words(status ?? 'unknown'), badge: 'badge' };
  return <span className={known.badge}>{known.label}</span>;
}

/** A decision on a version (review or approval): who, in which role, and when. */
function Decision({ decision }: { decision: Loose | null }) {
  if (decision === null) return <span className="muted">—</span>;
  return (
    <>
      <Actor actor={obj(decision, 'by')} />
      <div className="muted small">
        <Time at={str(decision, 'at')} />
      </div>
    </>
  );
}

/** A digest, shortened for the eye, whole on hover and for copying. */
const Digest = ({ digest }: { digest: string }) => <code title={digest}>{digest.slice(0, 'sha256:'.length + 12)}…</code>;

/** The text of a version, read from the content store by its digest (what was reviewed and approved). */
function VersionText({ version, digest }: { version: number; digest: string }) {
  const text = useQuery({
    queryKey: ['documents', 'content', digest],
    queryFn: () => answer(api.GET('/v1/documents/content/{digest}', { params: { path: { digest } }, parseAs: 'text' })),
    staleTime: Infinity,
  });
  return (
    <section aria-labelledby="text-heading">
      <h2 id="text-heading">Text of version {version}</h2>
      <p className="muted small">
        Content <code>{digest}</code>
      </p>
      {text.isPending ? (
        <Loading what={`the text of version ${version}`} />
      ) : text.error ? (
        <ProblemNotice error={text.error} />
      ) : (
        <pre className="document-text" tabIndex={0}>
          {text.data}
        </pre>
      )}
    </section>
  );
}

/** An attachment, fetched with the caller's token and handed to the browser as a download. */
function AttachmentButton({ attachment }: { attachment: Loose }) {
  const name = str(attachment, 'name') ?? 'attachment';
  const digest = str(attachment, 'digest');
  const [problem, setProblem] = useState<unknown>(null);
  if (digest === null) return <span>{name}</span>;
  const download = async () => {
    setProblem(null);
    try {
      const blob = await answer(api.GET('/v1/documents/content/{digest}', { params: { path: { digest } }, parseAs: 'blob' }));
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.click();
      URL.revokeObjectURL(url);
    } catch (err) {
      setProblem(err);
    }
  };
  return (
    <>
      <Button onPress={() => void download()}>Download {name}</Button>
      <ProblemNotice error={problem} />
    </>
  );
}

export function DocumentPage({ documentId }: { documentId: string }) {
  const [asOf, setAsOf] = useAsOfParam();
  const [shown, setShown] = useState<{ version: number; digest: string } | null>(null);
  const doc = useQuery({
    queryKey: ['document', documentId, asOf],
    queryFn: () => answer(api.GET('/v1/documents/{id}', { params: { path: { id: documentId }, query: { asOf } } })),
    // Another date of the same document keeps the page in place while it loads (no jump); another document does not.
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === documentId ? previous : undefined),
  });
  const header = (
    <p className="crumbs">
      <Link href={`/documents${asOfSearch(asOf)}`}>Documents</Link> / {documentId}
    </p>
  );
  const asOfForm = <AsOfForm value={asOf} onChange={setAsOf} label="The document as of a date" />;
  if (doc.isPending) return <Loading what={`document ${documentId}`} />;
  if (doc.error)
    return (
      <>
        {header}
        {asOfForm}
        <ProblemNotice error={doc.error} />
      </>
    );
  const d = doc.data;
  const versions = [...d.versionHistory].sort((a, b) => (num(b, 'version') ?? 0) - (num(a, 'version') ?? 0));
  const acknowledgements = d.acknowledgements;
  const outstanding = acknowledgements.filter((a) => str(a, 'acknowledgedAt') === null);
  const openTasks = d.tasks.filter((t) => str(t, 'status') === 'open');
  return (
    <>
      {header}
      <h1>{d.title}</h1>
      <div className="filters">{asOfForm}</div>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <DocumentStatus status={d.status} />
          {asOf !== undefined && <span className="muted"> as of {asOf}</span>}
        </dd>
        <dt>In force</dt>
        <dd>{d.publishedVersion === null ? 'no version yet' : `version ${d.publishedVersion}`}</dd>
        <dt>Kind</dt>
        <dd>{words(d.kind)}</dd>
        <dt>Owner</dt>
        <dd>{d.owner}</dd>
        <dt>Classification</dt>
        <dd>{d.classification}</dd>
        <dt>Retention</dt>
        <dd>{d.retention}</dd>
        <dt>Review</dt>
        <dd>
          every {d.reviewInterval}; next due <Time at={d.reviewDueAt} />
          {d.dueForReview && <span className="badge warn">due</span>}
        </dd>
        <dt>Acknowledged by</dt>
        <dd>{d.acknowledgementRoles.length === 0 ? 'nobody is asked' : d.acknowledgementRoles.map(words).join(', ')}</dd>
      </dl>

      <section aria-labelledby="versions-heading">
        <h2 id="versions-heading">Versions</h2>
        {versions.length === 0 ? (
          <Empty>No version submitted yet.</Empty>
        ) : (
          <table>
            <caption className="visually-hidden">Versions, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Status</th>
                <th scope="col">Change</th>
                <th scope="col">Written by</th>
                <th scope="col">Reviewed by</th>
                <th scope="col">Approved by</th>
                <th scope="col">In force</th>
                <th scope="col">Content</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => {
                const n = num(v, 'version') ?? 0;
                const digest = str(v, 'markdownDigest');
                const change = obj(v, 'change');
                const returned = obj(v, 'returned');
                return (
                  <tr key={n}>
                    <th scope="row">Version {n}</th>
                    <td>
                      <VersionStatus status={str(v, 'status')} />
                      {returned !== null && (
                        <div className="small">
                          sent back at {str(returned, 'stage') ?? 'review'} by <Actor actor={obj(returned, 'by')} />
                          {strings(returned, 'reasons').length > 0 && `: ${strings(returned, 'reasons').join('; ')}`}
                        </div>
                      )}
                    </td>
                    <td>
                      {str(v, 'changeSummary') ?? '—'}
                      {change !== null && (
                        <div className="muted small">
                          Why: {str(change, 'reason')}. Consequences: {str(change, 'consequences')}.
                        </div>
                      )}
                    </td>
                    <td>
                      <Actor actor={obj(v, 'submittedBy')} />
                      <div className="muted small">
                        <Time at={str(v, 'submittedAt')} />
                      </div>
                    </td>
                    <td>
                      <Decision decision={obj(v, 'review')} />
                    </td>
                    <td>
                      <Decision decision={obj(v, 'approval')} />
                    </td>
                    <td>
                      {str(v, 'publishedAt') === null ? (
                        <span className="muted">—</span>
                      ) : (
                        <>
                          from <Time at={str(v, 'publishedAt')} />
                          {str(v, 'obsoleteAt') !== null && (
                            <>
                              {' '}
                              until <Time at={str(v, 'obsoleteAt')} />
                            </>
                          )}
                        </>
                      )}
                    </td>
                    <td>
                      {digest !== null && (
                        <div>
                          <Digest digest={digest} /> {/* Styled as the console's buttons; pressed while its text is shown below. */}
                          <ToggleButton
                            className="react-aria-Button"
                            isSelected={shown?.version === n}
                            onChange={(on) => setShown(on ? { version: n, digest } : null)}
                          >
                            {`Text of version ${n}`}
                          </ToggleButton>
                        </div>
                      )}
                      {objects(v, 'attachments').map((a) => (
                        <div key={str(a, 'digest') ?? str(a, 'name')}>
                          <AttachmentButton attachment={a} />
                        </div>
                      ))}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      {shown !== null && <VersionText version={shown.version} digest={shown.digest} />}

      <section aria-labelledby="acks-heading">
        <h2 id="acks-heading">Acknowledgements</h2>
        {acknowledgements.length === 0 ? (
          <Empty>Nobody has been asked to acknowledge a version.</Empty>
        ) : (
          <>
            <p>
              {outstanding.length === 0
                ? 'Every acknowledgement asked for has been given.'
                : `${outstanding.length} outstanding (${d.acknowledgementsOutstanding} of the version in force).`}
            </p>
            <table>
              <caption className="visually-hidden">Acknowledgements</caption>
              <thead>
                <tr>
                  <th scope="col">Who</th>
                  <th scope="col">Version</th>
                  <th scope="col">Asked</th>
                  <th scope="col">Acknowledged</th>
                </tr>
              </thead>
              <tbody>
                {acknowledgements.map((a) => (
                  <tr key={str(a, 'taskId') ?? `${str(a, 'identity')}-${num(a, 'version')}`}>
                    <th scope="row">{str(a, 'identity')}</th>
                    <td>{num(a, 'version')}</td>
                    <td>
                      <Time at={str(a, 'requestedAt')} />
                    </td>
                    <td>
                      {str(a, 'acknowledgedAt') === null ? (
                        <span className="badge warn">outstanding</span>
                      ) : (
                        <Time at={str(a, 'acknowledgedAt')} />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>

      <section aria-labelledby="reviews-heading">
        <h2 id="reviews-heading">Periodic reviews</h2>
        {d.reviews.length === 0 ? (
          <Empty>No periodic review confirmed yet.</Empty>
        ) : (
          <ul>
            {d.reviews.map((r, i) => (
              <li key={i}>
                Version {num(r, 'version')} confirmed by <Actor actor={obj(r, 'confirmedBy')} /> <Time at={str(r, 'at')} />
                {str(r, 'note') ? `: ${str(r, 'note')}` : ''}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="doc-tasks-heading">
        <h2 id="doc-tasks-heading">Open tasks</h2>
        {openTasks.length === 0 ? (
          <Empty>No task is open for this document.</Empty>
        ) : (
          <ul>
            {openTasks.map((t) => {
              const taskId = str(t, 'taskId') ?? '';
              return (
                <li key={taskId}>
                  <Link href={`/tasks/${encodeURIComponent(taskId)}`}>{words(str(t, 'kind') ?? 'task')}</Link>{' '}
                  <span className="muted">
                    {str(t, 'assignee') ?? strings(t, 'requiredRoles').map(words).join(' or ')} · due <Time at={str(t, 'dueAt')} />
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </>
  );
}
