/**
 * Deciding a task: the outcomes and fields its kind takes (GET /v1/tasks/kinds), shown only to someone the
 * task is open to (one of its eligible roles, or its assignee, and not who asked for it). The API decides
 * again and may still refuse (segregation of duties, a role, an appointment): its words are shown as given.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Form, Input, Label, Text, TextArea, TextField } from 'react-aria-components';
import { answer, api, type Schemas } from '../api/client';
import { holdsAny, useMe, type Me } from '../me';
import { FilterSelect } from './filter-select';
import { ProblemNotice } from './states';

export type Task = Schemas['TaskDto'];
export type Outcome = Schemas['TaskDecisionInputDto']['outcome'];

export const OUTCOME_LABELS: Record<Outcome, string> = {
  approve: 'Approve',
  reject: 'Reject',
  request_changes: 'Request changes',
  effective: 'Effective',
  ineffective: 'Not effective',
  complete: 'Complete',
  record: 'Record',
  submit: 'Submit',
};

type RiskTier = NonNullable<Schemas['TaskDecisionInputDto']['riskTier']>;
const RISK_TIERS = ['minimal', 'limited', 'high', 'unacceptable'] as const satisfies readonly RiskTier[];

/** The fields this form can take; a kind that needs others (a plan, findings) is worked through the API. */
const FORM_FIELDS = ['comment', 'reasons', 'evidenceRefs', 'riskTier', 'value'];

export function mayDecide(task: Task, me: Me): boolean {
  if (task.requestedByYou) return false;
  return task.assignee === me.id || holdsAny(me, task.eligibleRoles);
}

export function useTaskKinds() {
  return useQuery({ queryKey: ['task-kinds'], queryFn: () => answer(api.GET('/v1/tasks/kinds')), staleTime: Infinity });
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

/** `onDecided`: the decision was recorded (the task then leaves the lists it was in, which are refreshed). */
export function DecideForm({ task, onDecided }: { task: Task; onDecided?: (outcome: Outcome) => void }) {
  const me = useMe();
  const kinds = useTaskKinds();
  const queries = useQueryClient();
  const route = kinds.data?.items.find((k) => k.kinds.includes(task.kind));
  const [comment, setComment] = useState('');
  const [reasons, setReasons] = useState('');
  const [evidenceRefs, setEvidenceRefs] = useState('');
  const [riskTier, setRiskTier] = useState<string | undefined>();
  const [value, setValue] = useState('');
  const decide = useMutation({
    mutationFn: (outcome: Outcome) =>
      answer(
        api.POST('/v1/tasks/{taskId}/decision', {
          params: { path: { taskId: task.taskId } },
          body: {
            outcome,
            ...(comment.trim() && route?.fields.includes('comment') ? { comment: comment.trim() } : {}),
            ...(lines(reasons).length && route?.fields.includes('reasons') ? { reasons: lines(reasons) } : {}),
            ...(lines(evidenceRefs).length && route?.fields.includes('evidenceRefs') ? { evidenceRefs: lines(evidenceRefs) } : {}),
            ...(riskTier !== undefined && route?.fields.includes('riskTier') ? { riskTier: riskTier as RiskTier } : {}),
            // Sent as typed: a value that is not a number is the API's to refuse, in its words.
            ...(value.trim() !== '' && route?.fields.includes('value') ? { value: Number(value.trim()) } : {}),
          },
        }),
      ),
    onSuccess: (_answer, outcome) => {
      onDecided?.(outcome);
      void queries.invalidateQueries();
    },
  });

  if (task.requestedByYou) return <p className="note">You asked for this decision, so someone else must take it.</p>;
  if (!mayDecide(task, me)) return <p className="note">Open to {task.eligibleRoles.join(', ') || task.assignee}; not to your roles.</p>;
  if (kinds.isPending) return null;
  if (route === undefined) return <p className="note">Tasks of kind {task.kind} are not decided through the inbox.</p>;
  const other = route.fields.filter((f) => !FORM_FIELDS.includes(f));
  if (other.length > 0)
    return (
      <p className="note">
        This work records {other.join(', ')}: send it with POST /v1/tasks/{task.taskId}/decision or the aims CLI.
      </p>
    );
  if (decide.isSuccess) return <p role="status">Decided: {OUTCOME_LABELS[decide.variables]}.</p>;
  const takes = (field: string) => route.fields.includes(field);
  return (
    <Form className="decide" onSubmit={(e) => e.preventDefault()} aria-label={`Decide ${task.taskId}`}>
      {takes('comment') && (
        <TextField value={comment} onChange={setComment}>
          <Label>Comment</Label>
          <TextArea />
        </TextField>
      )}
      {takes('reasons') && (
        <TextField value={reasons} onChange={setReasons}>
          <Label>Reasons</Label>
          <TextArea />
          <Text slot="description">One per line; needed to reject or request changes.</Text>
        </TextField>
      )}
      {takes('evidenceRefs') && (
        <TextField value={evidenceRefs} onChange={setEvidenceRefs}>
          <Label>Evidence relied on</Label>
          <TextArea />
          <Text slot="description">Documents, tickets or evidence ids, one per line.</Text>
        </TextField>
      )}
      {/* The lifecycle's kinds share one route; only an impact assessment's approval confirms a tier. */}
      {takes('riskTier') && task.kind === 'impact_assessment_review' && (
        <FilterSelect label="Risk tier confirmed" anyLabel="as proposed" values={RISK_TIERS} value={riskTier} onChange={setRiskTier} />
      )}
      {takes('value') && (
        <TextField value={value} onChange={setValue} inputMode="decimal">
          <Label>Measured value</Label>
          <Input />
        </TextField>
      )}
      <div className="buttons">
        {route.outcomes.map((outcome) => (
          <Button key={outcome} isDisabled={decide.isPending} onPress={() => decide.mutate(outcome)}>
            {OUTCOME_LABELS[outcome]}
          </Button>
        ))}
      </div>
      <ProblemNotice error={decide.error} />
    </Form>
  );
}
