/** A row of the human-task read model (human-tasks.read-model.ts), whichever source it comes from. */
import type { JsonObject } from '../../ports/event-store.port';

export type HumanTaskRowStatus = 'open' | 'decided' | 'superseded';

export interface HumanTaskRow {
  taskId: string;
  /** The stream whose workflow owns the task (where its decision is recorded). */
  stream: string;
  /** The AI system whose lifecycle owns the task, when the stream is an AI system's. */
  aiSystemId: string | null;
  /** Every AI system the task concerns (its lifecycle's, or those a nonconformity names). */
  aiSystemIds: string[];
  kind: string;
  requiredRoles: string[];
  /** Who may decide now: the required roles, plus the role it was escalated to. */
  eligibleRoles: string[];
  /** The one person the task is assigned to (a corrective action's owner), whatever their roles; or null. */
  assignee: string | null;
  subject: JsonObject;
  /** Actor id of whoever asked for the decision (they may not take it). */
  requestedBy: string | null;
  status: HumanTaskRowStatus;
  openedAt: string;
  /** null for work that has no due date (a nonconformity's containment, analysis, plan and its decision). */
  dueAt: string | null;
  reminderSentAt: string | null;
  escalatedTo: string | null;
  escalatedAt: string | null;
  decision: { outcome: string; by: JsonObject | null; reasons: string[]; at: string } | null;
  supersededReason: string | null;
  closedAt: string | null;
  updatedAt: string;
  lastPosition: number;
}
