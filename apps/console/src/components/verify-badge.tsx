/** Verifies the whole evidence chain (POST /v1/audit/verify) on request and shows what it established. */
import { useMutation } from '@tanstack/react-query';
import { Button } from 'react-aria-components';
import { answer, api } from '../api/client';
import { ProblemNotice } from './states';

export function VerifyBadge() {
  const verify = useMutation({ mutationFn: () => answer(api.POST('/v1/audit/verify', { body: {} })) });
  const report = verify.data;
  return (
    <div className="verify">
      <Button isDisabled={verify.isPending} onPress={() => verify.mutate()}>
        {verify.isPending ? 'Verifying…' : 'Verify the chain'}
      </Button>
      <span role="status" aria-live="polite">
        {report === undefined ? null : report.intact ? (
          <span className="badge ok" title={report.scope.proves.join(' ')}>
            Intact: {report.eventsChecked} events, positions {report.fromPosition}–{report.toPosition}
          </span>
        ) : (
          <span className="badge danger" title={report.detail}>
            Broken at position {report.position}: {report.problem}
          </span>
        )}
      </span>
      <ProblemNotice error={verify.error} />
    </div>
  );
}
