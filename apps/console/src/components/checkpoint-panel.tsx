/**
 * The latest signed checkpoint of the evidence tree (GET /v1/evidence/checkpoint?format=json): what it signs
 * (origin, tree size, root hash), when it was stored, who signed and cosigned it, and the signed note
 * itself, byte for byte, as text (an auditor may copy it into `aims evidence verify` or any C2SP client).
 */
import { useQuery } from '@tanstack/react-query';
import { answer, api, ApiProblem, type Schemas } from '../api/client';
import { parseCheckpointNote, type NoteSignature } from '../signed-note';
import { Empty, Loading, ProblemNotice } from './states';
import { Time } from './time';

function signaturesOf(note: string): NoteSignature[] | null {
  try {
    return parseCheckpointNote(note).signatures;
  } catch {
    return null;
  }
}

export function CheckpointPanel() {
  const latest = useQuery({
    queryKey: ['evidence', 'checkpoint', 'latest'],
    queryFn: async (): Promise<Schemas['CheckpointWithCosignaturesDto']> => {
      const checkpoint = await answer(api.GET('/v1/evidence/checkpoint', { params: { query: { format: 'json' } } }));
      // The endpoint answers text/plain unless asked for JSON, which its type cannot tell apart.
      if (typeof checkpoint === 'string') throw new Error('The API sent the checkpoint as text, not JSON.');
      return checkpoint;
    },
    retry: (count, error) => !(error instanceof ApiProblem && error.problem.status === 404) && count < 2,
  });
  const body = (() => {
    if (latest.isPending) return <Loading what="the latest signed checkpoint" />;
    if (latest.error instanceof ApiProblem && latest.error.problem.code === 'CHECKPOINT_NOT_FOUND') {
      return (
        <Empty>No checkpoint signed yet: the worker signs one when a checkpoint key is configured (or run aims evidence checkpoint).</Empty>
      );
    }
    if (latest.error) return <ProblemNotice error={latest.error} />;
    const c = latest.data;
    const signatures = signaturesOf(c.note);
    return (
      <>
        <dl className="facts">
          <dt>Origin</dt>
          <dd>{c.origin}</dd>
          <dt>Tree size</dt>
          <dd>{c.treeSize} events</dd>
          <dt>Root hash</dt>
          <dd>
            <code>{c.rootHash}</code>
          </dd>
          <dt>Signed</dt>
          <dd>
            <Time at={c.signedAt} /> by key {c.keyName}
          </dd>
          <dt>Signatures</dt>
          <dd>
            {signatures === null ? (
              <span className="badge danger">The note cannot be read as a signed checkpoint</span>
            ) : (
              <ul className="plain">
                {signatures.map((s) => (
                  <li key={s.line}>
                    {s.name} <span className="muted">(key hash {s.keyHash})</span>
                    {c.cosignatures.some((w) => w.line === s.line) ? ' · witness cosignature' : ''}
                  </li>
                ))}
              </ul>
            )}
          </dd>
          <dt>Signed note</dt>
          <dd>
            <pre className="note">{c.note}</pre>
          </dd>
        </dl>
      </>
    );
  })();
  return (
    <section className="checkpoint" aria-labelledby="checkpoint-heading">
      <h2 id="checkpoint-heading">Latest signed checkpoint</h2>
      {body}
    </section>
  );
}
