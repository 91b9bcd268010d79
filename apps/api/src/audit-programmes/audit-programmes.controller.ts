/**
 * The internal audit programme (9.2.2) over HTTP: draft one per period (starts audit-programme-<period>,
 * refusals decided first), approve it (an AIMS owner who did not draft it), read them from the evidence.
 * Its schedule (audits due, late ones escalated) runs on the workflow's durable timers.
 */
import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  auditProgrammeStream,
  auditProgrammeWorkflowId,
  decideAuditProgramme,
  evolveAuditProgramme,
  PROGRAMME_APPROVER_ROLES,
  PROGRAMME_DRAFTER_ROLES,
  type AuditProgrammeEvent,
  type AuditProgrammeState,
} from '../../../../domain/audit-programme/programme';
import type { Actor } from '../../../../domain/shared/roles';
import type { EventStore, RecordedEvidenceEvent } from '../../../../infra/ports/event-store.port';
import { readRegisterAppointments } from '../../../../activities/internal-audit.activities';
import { approveAuditProgrammeUpdate } from '../../../../workflows/audit-programme.messages';
import { CommandErrors } from '../ai-systems/ai-system-commands.controller';
import { Acting } from '../auth/current-actor.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { CommandSender, type ProcessAddress } from '../common/command-sender';
import { refusalProblem } from '../common/problem-mapper';
import { problem } from '../common/problems';
import { EVENT_STORE, READ_MODEL_STORE } from '../stores/store.tokens';
import type { ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import { AUDIT_PROGRAMMES } from '../../../../infra/projections/read-models';
import { DEFAULT_PAGE_LIMIT } from '../common/pagination';
import { equalTo, registerPage } from '../internal-audits/register-page';
import {
  AuditProgrammeAnswerDto,
  AuditProgrammeDraftedDto,
  AuditProgrammeDto,
  AuditProgrammeListDto,
  AuditProgrammeListQueryDto,
  DraftAuditProgrammeDto,
  PeriodParamsDto,
} from './audit-programmes.dto';

const asEvent = (e: RecordedEvidenceEvent): AuditProgrammeEvent => ({ type: e.type, ...e.data }) as unknown as AuditProgrammeEvent;
const notDrafted = (period: string) =>
  problem(404, 'PROGRAMME_NOT_DRAFTED', `There is no audit programme for ${period}.`, { details: { period } });

@ApiTags('audit-programmes')
@Controller('v1/audit-programmes')
export class AuditProgrammesController {
  constructor(
    private readonly sender: CommandSender,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
  ) {}

  private address(period: string): ProcessAddress {
    return {
      workflowId: auditProgrammeWorkflowId(period),
      evidencePath: `/v1/audit/streams/${auditProgrammeStream(period)}`,
      notRunning: async () =>
        (await this.read(period)) === null
          ? notDrafted(period)
          : problem(409, 'PROGRAMME_FINISHED', `The audit programme of ${period} has run its course.`, { details: { period } }),
    };
  }

  private async read(period: string): Promise<AuditProgrammeState> {
    let s: AuditProgrammeState = null;
    for await (const e of this.store.readStream(auditProgrammeStream(period))) s = evolveAuditProgramme(s, asEvent(e));
    return s;
  }

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'A page of the audit programmes, with their schedule (each audit scheduled, due, started or late)' })
  @ApiOkResponse({ type: AuditProgrammeListDto })
  list(@Query() { limit, cursor, status, late }: AuditProgrammeListQueryDto): Promise<AuditProgrammeListDto> {
    const where = [
      ...equalTo([['status', status]]),
      ...(late === undefined ? [] : [{ column: 'late', op: late ? 'gt' : 'eq', value: 0 } as const]),
    ];
    return registerPage(this.readModels, AUDIT_PROGRAMMES, where, { limit: limit ?? DEFAULT_PAGE_LIMIT, cursor }, (row) =>
      this.read(row.period),
    );
  }

  @Get(':period')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'One period’s audit programme as its evidence records it' })
  @ApiOkResponse({ type: AuditProgrammeDto })
  async show(@Param() p: PeriodParamsDto): Promise<object> {
    const found = await this.read(p.period);
    if (found === null) throw notDrafted(p.period);
    return found;
  }

  @Post()
  @Roles(...PROGRAMME_DRAFTER_ROLES)
  @ApiOperation({
    summary: 'Draft the audit programme of a period (each area audited as often as its importance and previous results require)',
  })
  @ApiCreatedResponse({ type: AuditProgrammeDraftedDto })
  @CommandErrors()
  async draft(@Acting() by: Actor, @Body() body: DraftAuditProgrammeDto): Promise<AuditProgrammeDraftedDto> {
    const at = new Date().toISOString();
    // The register's appointments in force, read here (never the caller's) and decided now and again by the
    // workflow against the same list: responsibilities resolve against them, lead auditors must be independent.
    const appointments = await readRegisterAppointments(this.store, at);
    const input = { ...body.toInput(by), appointments };
    const decided = decideAuditProgramme({ type: 'DraftAuditProgramme', ...input, at }, null);
    if (!decided.ok) throw refusalProblem(decided.error);
    const started = await this.sender.start({
      workflowType: 'auditProgramme',
      to: this.address(input.period),
      args: [input],
      stream: auditProgrammeStream(input.period),
      alreadyStarted: () => problem(409, 'PROGRAMME_ALREADY_DRAFTED', `The audit programme of ${input.period} exists already`),
    });
    return { period: input.period, ...started };
  }

  @Post(':period/approval')
  @Roles(...PROGRAMME_APPROVER_ROLES)
  @ApiOperation({ summary: 'Approve the programme (an AIMS owner who did not draft it); its audits are then scheduled on durable timers' })
  @ApiCreatedResponse({ type: AuditProgrammeAnswerDto })
  @CommandErrors()
  approve(@Acting() by: Actor, @Param() p: PeriodParamsDto): Promise<AuditProgrammeAnswerDto> {
    return this.sender.update(this.address(p.period), approveAuditProgrammeUpdate, { by });
  }
}
