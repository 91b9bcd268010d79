/**
 * The demo's AI objectives (6.2) and their measures (9.1): two objectives on measures computed from the
 * evidence the demo just recorded — every production system with a current approved impact assessment, and
 * no nonconformity left open — set by top management and the AIMS owner, each measured at once by its
 * `objective` workflow. The demo waits for the first measurement so it can print the values; the second
 * objective finds the demo's monitoring breach open and opens an improvement action. A later demo run finds
 * them set and prints their latest figures.
 */
import type { AimsRole } from '../../../../domain/shared/roles';
import type { RiskDemoApi } from './demo-risks';

type Tokens = Record<AimsRole, { name: string; token: string }>;
type Shown = {
  measurementCount?: number;
  measurements?: Array<{ value: number | null; onTarget: boolean }>;
  actions?: Array<{ actionId: string }>;
};

const DUE = `${new Date().getUTCFullYear() + 1}-06-30`;

export async function demoObjectives(api: RiskDemoApi, tokens: Tokens, say: (line: string) => void): Promise<void> {
  const as = (role: AimsRole) => tokens[role].token;
  const objectives = [
    {
      by: 'top_management' as const,
      body: {
        objectiveId: 'OBJ-IMPACT-ASSESSED',
        title: 'Every AI system in production has a current approved impact assessment',
        commitment: { text: 'We assess the impact of our AI systems on people before and while we use them.', documentRef: 'ai-policy' },
        measureId: 'production-impact-assessment-coverage',
        target: 1,
        direction: 'at_least',
        dueDate: DUE,
        owner: tokens.aims_owner.name,
        interval: 'P7D',
        offTargetAction: 'nonconformity',
        offTargetSeverity: 'major',
      },
    },
    {
      by: 'aims_owner' as const,
      body: {
        objectiveId: 'OBJ-NO-OPEN-NC',
        title: 'No nonconformity stays open',
        commitment: { text: 'We correct what goes wrong and improve the AIMS continually.', documentRef: 'ai-policy' },
        measureId: 'open-nonconformities',
        target: 0,
        direction: 'at_most',
        dueDate: DUE,
        owner: tokens.engineer.name,
        interval: 'P7D',
        offTargetAction: 'action',
        offTargetSeverity: 'minor',
      },
    },
  ];
  for (const { by, body } of objectives) {
    const path = `/v1/objectives/${body.objectiveId}`;
    if ((await api.request('GET', as('auditor'), path)).status !== 200) await api.post(as(by), '/v1/objectives', body);
    // Measured at once by its workflow: wait (bounded) for the first figure, so the demo can show it.
    let shown: Shown = {};
    for (let i = 0; i < 100; i += 1) {
      shown = (await api.request('GET', as('auditor'), path)).body;
      if ((shown.measurementCount ?? 0) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const latest = shown.measurements?.[shown.measurements.length - 1];
    const figure =
      latest === undefined ? 'not measured yet' : `${latest.value ?? 'no value'} (${latest.onTarget ? 'on target' : 'OFF TARGET'})`;
    const comparison = body.direction === 'at_least' ? '>=' : '<=';
    const actions = (shown.actions ?? []).map((a) => a.actionId);
    say(
      `AI objective ${body.objectiveId}: ${body.measureId} ${comparison} ${body.target}, measured ${figure}` +
        (actions.length > 0 ? ` → ${body.offTargetAction === 'action' ? 'improvement' : 'nonconformity'} ${actions.join(', ')}` : ''),
    );
  }
}
