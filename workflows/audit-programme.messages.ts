/**
 * The messages of workflow `auditProgramme` (audit-programme.workflow.ts): the internal audit programme of
 * one period, id and stream `audit-programme-<period>`. Callers import these, never the workflow code.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AuditProgrammeContent, AuditProgrammeEventType, AuditProgrammeState } from '../domain/audit-programme/programme';
import type { AuditorAppointment } from '../domain/internal-audit/model';
import type { Actor } from '../domain/shared/roles';
import type { RecordedEvidence } from './runtime/decider';

/** The start input drafts the programme (its first step, vouched for by the signed start). */
export interface AuditProgrammeInput extends AuditProgrammeContent {
  period: string;
  by: Actor;
  /**
   * The register's appointments in force when the API decided the draft (never the caller's): the programme's
   * responsibilities resolve against them and its lead auditors are checked for independence. Absent in
   * programmes drafted before.
   */
  appointments?: AuditorAppointment[];
}

export interface AuditProgrammeStepResult {
  recorded: RecordedEvidence<AuditProgrammeEventType>[];
  programme: AuditProgrammeState;
  lastPosition: number | null;
}

export const approveAuditProgrammeUpdate = defineUpdate<AuditProgrammeStepResult, [{ by: Actor }]>('approveAuditProgramme');
export const auditProgrammeStateQuery = defineQuery<AuditProgrammeState>('state');

/** What an internal audit of the programme tells it when its fieldwork starts (so it is not escalated as late). */
export interface ProgrammedAuditStartedNotice {
  auditId: string;
  causationId: string | null;
}
export const programmedAuditStartedSignal = defineSignal<[ProgrammedAuditStartedNotice]>('programmedAuditStarted');
