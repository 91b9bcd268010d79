/**
 * Every read model the projector maintains. To add one: write its definition (pure keyOf/apply and its
 * filter columns) beside these, with unit tests, and list it here; the projector notices the new set of
 * definitions (name@version) and rebuilds every read model from position 0 on its next start.
 */
import type { AnyReadModel } from '../../ports/read-model-store.port';
import { AI_SYSTEM_INVENTORY } from './ai-system-inventory.read-model';
import { AUDIT_PROGRAMMES, IMPROVEMENTS, INTERNAL_AUDITS } from './audit-processes.read-model';
import { DOCUMENTS } from './documents.read-model';
import { HUMAN_TASKS } from './human-tasks.read-model';
import { NONCONFORMITIES } from './nonconformities.read-model';
import { PEOPLE, ROLE_ASSIGNMENTS } from './people.read-model';
import { RISKS } from './risks.read-model';

export * from './ai-system-inventory.read-model';
export * from './audit-processes.read-model';
export * from './documents.read-model';
export * from './human-tasks.read-model';
export * from './nonconformities.read-model';
export * from './nonconformity-tasks';
export * from './people.read-model';
export * from './risks.read-model';

export const READ_MODELS: readonly AnyReadModel[] = [
  AI_SYSTEM_INVENTORY,
  HUMAN_TASKS,
  NONCONFORMITIES,
  RISKS,
  DOCUMENTS,
  PEOPLE,
  ROLE_ASSIGNMENTS,
  INTERNAL_AUDITS,
  AUDIT_PROGRAMMES,
  IMPROVEMENTS,
] as readonly AnyReadModel[];
