/** Every workflow the worker registers. The worker bundles this file. */
export { workerRoundTrip } from './worker-round-trip.workflow';
export { nonconformity } from './nonconformity.workflow';
export { aiSystemLifecycle } from './ai-system-lifecycle.workflow';
export { lifecyclePolicy } from './lifecycle-policy.workflow';
export { notification } from './notification.workflow';
export { statementOfApplicability } from './soa.workflow';
export { risk } from './risk.workflow';
export { riskCriteria } from './risk-criteria.workflow';
export { document } from './document.workflow';
export { aimsScope } from './aims-scope.workflow';
export { aimsContext } from './aims-context.workflow';
export { internalAudit } from './internal-audit.workflow';
export { improvement } from './improvement.workflow';
export { auditProgramme } from './audit-programme.workflow';
export { person } from './person.workflow';
export { peoplePolicy } from './people-policy.workflow';
export { objective } from './objective.workflow';
