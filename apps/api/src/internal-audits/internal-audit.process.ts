/**
 * The API's side of the `internalAudit` workflow: planning starts it (refusals decided first, against the
 * auditors' appointments in the people register, so a plan the rules refuse — an auditor not independent —
 * is a problem+json answer, never a failed workflow), the
 * fieldwork steps are Updates, and an audit is read from its evidence (the record an auditor reads, even
 * after the workflow ended).
 */
import { Inject, Injectable } from '@nestjs/common';
import type { UpdateDefinition } from '@temporalio/common';
import {
  decide,
  evolve,
  internalAuditStream,
  internalAuditWorkflowId,
  type AuditPlan,
  type InternalAudit,
  type InternalAuditEvent,
  type InternalAuditState,
} from '../../../../domain/internal-audit';
import {
  internalAuditReport,
  noteInternalAuditRecord,
  NO_INTERNAL_AUDIT_RECORDS,
  renderReportHtml,
  renderReportMarkdown,
} from '../../../../domain/report';
import {
  auditProgrammeStream,
  evolveAuditProgramme,
  inheritedResponsibilities,
  type AuditProgrammeEvent,
  type AuditProgrammeState,
} from '../../../../domain/audit-programme';
import type { Actor } from '../../../../domain/shared/roles';
import { MAX_APPOINTMENT_PEOPLE, readAuditorAppointments } from '../../../../activities/internal-audit.activities';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import type { InternalAuditInput, InternalAuditStepResult } from '../../../../workflows/internal-audit.messages';
import { evidenceBasis } from '../common/evidence-basis';
import { parseAsOf } from '../common/ids';
import { CommandSender, type Answered, type ProcessAddress, type Started } from '../common/command-sender';
import { refusalProblem, type RefusalContext } from '../common/problem-mapper';
import { problem } from '../common/problems';
import { EVENT_STORE, READ_MODEL_STORE } from '../stores/store.tokens';
import type { ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import { INTERNAL_AUDITS } from '../../../../infra/projections/read-models';
import { equalTo, registerPage, type Page, type PageAsked } from './register-page';

export type PlanAuditInput = AuditPlan & { auditId: string };
import type { ReportFormat } from '../common/report-answer';
export type InternalAuditFilters = { status?: string; programme?: string; leadAuditor?: string };

const notPlanned = (auditId: string) =>
  problem(404, 'INTERNAL_AUDIT_NOT_PLANNED', `There is no internal audit ${auditId}.`, { details: { auditId } });

@Injectable()
export class InternalAuditProcess {
  constructor(
    private readonly sender: CommandSender,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
  ) {}

  address(auditId: string): ProcessAddress {
    return {
      workflowId: internalAuditWorkflowId(auditId),
      evidencePath: `/v1/audit/streams/${internalAuditStream(auditId)}`,
      notRunning: async () =>
        (await this.read(auditId)) === null
          ? notPlanned(auditId)
          : problem(409, 'INTERNAL_AUDIT_CLOSED', `Internal audit ${auditId} is closed.`, { details: { auditId } }),
    };
  }

  async plan(by: Actor, asked: PlanAuditInput): Promise<Started & { auditId: string }> {
    const at = new Date().toISOString();
    const body = await this.withProgrammeResponsibilities(asked);
    // Independence from appointments: the register's, read here (never the caller's), decided now and again
    // by the workflow against the same list, so a plan it refuses is a problem+json answer.
    const team = Array.isArray(body.team) ? body.team : [];
    const appointments = await readAuditorAppointments(this.store, [body.leadAuditor, ...team].slice(0, MAX_APPOINTMENT_PEOPLE), at);
    const decided = decide({ type: 'PlanAudit', ...body, appointments, by, at }, null);
    if (!decided.ok) throw refusalProblem(decided.error);
    const input: InternalAuditInput = { ...body, appointments, by };
    const started = await this.sender.start({
      workflowType: 'internalAudit',
      to: this.address(body.auditId),
      args: [input],
      stream: internalAuditStream(body.auditId),
      alreadyStarted: () =>
        problem(409, 'AUDIT_ALREADY_PLANNED', `Internal audit ${body.auditId} is planned already`, { details: { auditId: body.auditId } }),
    });
    return { auditId: body.auditId, ...started };
  }

  /** An audit of a programme inherits the programme's responsibilities for its scope (the plan's come first). */
  private async withProgrammeResponsibilities(body: PlanAuditInput): Promise<PlanAuditInput> {
    if (typeof body.programmeId !== 'string' || !Array.isArray(body.scope)) return body;
    let programme: AuditProgrammeState = null;
    for await (const e of this.store.readStream(auditProgrammeStream(body.programmeId)))
      programme = evolveAuditProgramme(programme, { type: e.type, ...e.data } as unknown as AuditProgrammeEvent);
    if (programme === null) return body;
    const planned = Array.isArray(body.responsibilities) ? body.responsibilities : [];
    return { ...body, responsibilities: inheritedResponsibilities(body.scope, planned, programme) };
  }

  send<A>(
    auditId: string,
    update: UpdateDefinition<InternalAuditStepResult, [A]>,
    arg: A,
    context: RefusalContext = {},
  ): Promise<Answered<InternalAuditStepResult>> {
    return this.sender.update(this.address(auditId), update, arg, context);
  }

  /** The audit as its evidence records it (null: never planned). */
  async read(auditId: string): Promise<InternalAuditState> {
    let state: InternalAuditState = null;
    for await (const e of this.store.readStream(internalAuditStream(auditId))) {
      state = evolve(state, { type: e.type, ...e.data } as unknown as InternalAuditEvent);
    }
    return state;
  }

  /** A page of the audits the filters keep, in the order they were planned (the `internal_audits` read model). */
  list(filters: InternalAuditFilters, page: PageAsked): Promise<Page<InternalAudit>> {
    const where = equalTo([
      ['status', filters.status],
      ['programme_id', filters.programme],
      ['lead_auditor', filters.leadAuditor?.toLowerCase()],
    ]);
    return registerPage(this.readModels, INTERNAL_AUDITS, where, page, (row) => this.read(row.auditId));
  }

  async show(auditId: string): Promise<InternalAudit> {
    const audit = await this.read(auditId);
    if (audit === null) throw notPlanned(auditId);
    return audit;
  }

  /**
   * The audit's report (9.2.1, issue 17 item 6) as of a point of the evidence (default: now), rendered as
   * Markdown or one self-contained HTML file: the audit folded from its stream up to the basis position,
   * with the ids of the events that recorded each part.
   */
  async report(auditId: string, format: ReportFormat, asOfText?: string): Promise<string> {
    const asOf = asOfText === undefined ? undefined : (parseAsOf(asOfText) ?? undefined);
    const basis = await evidenceBasis(this.store, asOf, asOfText);
    let state: InternalAuditState = null;
    let records = NO_INTERNAL_AUDIT_RECORDS;
    for await (const e of this.store.readStream(internalAuditStream(auditId), { asOf: { position: basis.position } })) {
      const event = { type: e.type, ...e.data } as unknown as InternalAuditEvent;
      state = evolve(state, event);
      records = noteInternalAuditRecord(records, e, event);
    }
    if (state === null) {
      throw problem(
        404,
        'INTERNAL_AUDIT_NOT_PLANNED',
        `There is no internal audit ${auditId}${asOfText === undefined ? '' : ` as of ${asOfText}`}.`,
        {
          details: { auditId, ...(asOfText === undefined ? {} : { asOf: asOfText }) },
        },
      );
    }
    const doc = internalAuditReport(state, basis, { generatedAt: new Date().toISOString(), records });
    return format === 'html' ? renderReportHtml(doc) : renderReportMarkdown(doc);
  }
}
