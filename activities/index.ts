/** Every activity the worker registers, built from the adapters the worker owns. */
import type { EventStore } from '../infra/ports/event-store.port';
import { AcceptanceCriteriaActivities, createAcceptanceCriteriaActivities } from './acceptance-criteria.activities';
import { createAiPolicyActivities, type AiPolicyActivities } from './ai-policy.activities';
import type { CommandVouchPolicy } from './command-vouch';
import { createEvidenceActivities, EvidenceActivities } from './evidence.activities';
import { createPeopleActivities, type PeopleActivities, type PeopleDirectory } from './people.activities';
import { createInternalAuditActivities, type InternalAuditActivities } from './internal-audit.activities';
import { createManagementReviewActivities, type ManagementReviewActivities } from './management-review.activities';
import { createMeasuresActivities, type MeasuresActivities } from './measures.activities';
import { createNotificationActivities, type NotificationActivities, type NotificationSettings } from './notification.activities';
import { createWorkerStatusActivities, WorkerStatusActivities } from './worker-status.activities';

export interface ActivityDependencies {
  identity: string;
  taskQueue: string;
  eventStore: EventStore;
  /** The keys and accepted age that vouch for commands (see command-vouch.ts). */
  commandVouching: CommandVouchPolicy;
  /** Directory and delivery settings; null: notification workflows fail as not configured. */
  notifications?: NotificationSettings | null;
  /** Who holds which roles (document acknowledgements); null: nobody is asked, and the evidence says why. */
  people?: PeopleDirectory | null;
}

export type AimsActivities = WorkerStatusActivities &
  EvidenceActivities &
  AcceptanceCriteriaActivities &
  NotificationActivities &
  PeopleActivities &
  InternalAuditActivities &
  ManagementReviewActivities &
  MeasuresActivities &
  AiPolicyActivities;

export function createActivities(deps: ActivityDependencies): AimsActivities {
  return {
    ...createWorkerStatusActivities({ identity: deps.identity, taskQueue: deps.taskQueue }),
    ...createEvidenceActivities(deps.eventStore, deps.commandVouching),
    ...createAcceptanceCriteriaActivities(),
    ...createNotificationActivities(deps.eventStore, deps.notifications ?? null),
    ...createPeopleActivities(deps.people ?? null),
    ...createInternalAuditActivities(deps.eventStore),
    ...createManagementReviewActivities(deps.eventStore),
    ...createMeasuresActivities(deps.eventStore),
    ...createAiPolicyActivities(deps.eventStore),
  };
}
