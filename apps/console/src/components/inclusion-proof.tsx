/**
 * On demand, an event's RFC 6962 inclusion proof (GET /v1/evidence/proofs/inclusion), checked in this
 * browser (merkle.ts): the leaf recomputed from the event as received, the audit path walked to the root of
 * the signed checkpoint that comes with the proof. Nothing is fetched until the reader asks.
 */
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Button } from 'react-aria-components';
import { answer, api, ApiProblem, type Schemas } from '../api/client';
import { checkInclusion } from '../merkle';
import { ProblemNotice } from './states';

type EvidenceEvent = Schemas['EvidenceEventDto'];

async function proveAndCheck(event: EvidenceEvent) {
  const proof = await answer(api.GET('/v1/evidence/proofs/inclusion', { params: { query: { eventId: event.id, encoding: 'base64' } } }));
  return { proof, check: await checkInclusion(event, proof) };
}

export function InclusionProof({ event }: { event: EvidenceEvent }) {
  const [open, setOpen] = useState(false);
  const panel = useId();
  const result = useQuery({
    queryKey: ['evidence', 'inclusion', event.id],
    queryFn: () => proveAndCheck(event),
    enabled: open,
    retry: false,
  });
  // Events after the latest checkpoint: the API refuses with PROOF_RANGE; that is a state, not a failure.
  const notYetSigned =
    result.error instanceof ApiProblem && result.error.problem.code === 'PROOF_RANGE' ? (result.error.problem.detail ?? '') : null;
  return (
    <div className="inclusion">
      <Button aria-expanded={open} aria-controls={panel} onPress={() => setOpen(!open)}>
        Inclusion proof
      </Button>
      {/* Always in the page, so that screen readers announce what appears in it. */}
      <div id={panel} role="status" aria-live="polite" className="inclusion-result">
        {!open ? null : result.isPending ? (
          <span className="muted">Fetching the proof and checking it…</span>
        ) : notYetSigned !== null ? (
          <span className="muted">Not in a signed checkpoint yet: {notYetSigned}.</span>
        ) : result.error ? (
          <ProblemNotice error={result.error} />
        ) : result.data.check.verified ? (
          <span className="proof-ok">
            Included in the signed tree of size {result.data.check.treeSize} (root <code>{result.data.check.rootHash}</code>): verified in
            this browser
            <span className="muted">
              {' '}
              (leaf {result.data.proof.leafIndex}, {result.data.proof.auditPath.length} hashes on the path, log {result.data.check.origin})
            </span>
          </span>
        ) : (
          <span className="proof-failed">Not verified: {result.data.check.reason}.</span>
        )}
      </div>
    </div>
  );
}
