/**
 * Internal audits (9.2.1) over HTTP: plan one, take its fieldwork (samples of the evidence as of a
 * position, checklist results, findings), issue its report and close it; read it from its evidence. Who may
 * take each step is the domain's (domain/internal-audit: the lead auditor and team, independent of the
 * areas and records they audit); the route roles only keep out those who never may.
 */
import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AUDIT_PLANNER_ROLES, AUDITOR_ROLES } from '../../../../domain/internal-audit/model';
import type { Actor } from '../../../../domain/shared/roles';
import {
  closeAuditUpdate,
  issueReportUpdate,
  recordChecklistResultUpdate,
  recordFindingUpdate,
  recordSampleUpdate,
  startFieldworkUpdate,
} from '../../../../workflows/internal-audit.messages';
import { CommandErrors } from '../ai-systems/ai-system-commands.controller';
import { Acting } from '../auth/current-actor.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { DEFAULT_PAGE_LIMIT } from '../common/pagination';
import {
  AuditIdParamsDto,
  AuditPlannedDto,
  AuditReportDto,
  AuditReportQueryDto,
  AuditSampleDto,
  ChecklistResultDto,
  FindingDto,
  InternalAuditAnswerDto,
  InternalAuditDto,
  InternalAuditListDto,
  InternalAuditListQueryDto,
  PlanAuditDto,
} from './internal-audits.dto';
import { InternalAuditProcess } from './internal-audit.process';
import { REPORT_RESPONSE, sendReport } from '../common/report-answer';

@ApiTags('internal-audits')
@Controller('v1/internal-audits')
export class InternalAuditsController {
  constructor(private readonly audits: InternalAuditProcess) {}

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'A page of the internal audits, in the order they were planned, as their evidence records them' })
  @ApiOkResponse({ type: InternalAuditListDto })
  list(@Query() { limit, cursor, ...filters }: InternalAuditListQueryDto): Promise<InternalAuditListDto> {
    return this.audits.list(filters, { limit: limit ?? DEFAULT_PAGE_LIMIT, cursor });
  }

  @Get(':id')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'One internal audit as its evidence records it: plan, samples, checklist, findings, report' })
  @ApiOkResponse({ type: InternalAuditDto })
  show(@Param() p: AuditIdParamsDto): Promise<object> {
    return this.audits.show(p.id);
  }

  @Get(':id/report')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary:
      'The audit report as of a point of the evidence (default: now), as Markdown or one self-contained HTML file: plan, team and independence, sample, checklist, findings, corrective actions, conclusion, each statement with the evidence ids it rests on',
  })
  @ApiProduces('text/markdown', 'text/html')
  @ApiOkResponse(REPORT_RESPONSE)
  @ApiNotFoundResponse({ description: 'No such audit (as of that point): problem+json INTERNAL_AUDIT_NOT_PLANNED' })
  readReport(@Param() p: AuditIdParamsDto, @Query() q: AuditReportQueryDto, @Res({ passthrough: true }) res: Response): Promise<string> {
    return this.audits
      .report(p.id, q.format ?? 'md', q.asOf)
      .then((text) => sendReport(res, q.format ?? 'md', `internal-audit-${p.id}-report`, text));
  }

  @Post()
  @Roles(...AUDIT_PLANNER_ROLES)
  @ApiOperation({
    summary:
      'Plan an internal audit (starts internal-audit-<id>); an auditor responsible for an area in scope is refused (403 AUDITOR_NOT_INDEPENDENT)',
  })
  @ApiCreatedResponse({ type: AuditPlannedDto })
  @CommandErrors()
  plan(@Acting() by: Actor, @Body() body: PlanAuditDto): Promise<AuditPlannedDto> {
    return this.audits.plan(by, body.toInput());
  }

  @Post(':id/fieldwork')
  @Roles(...AUDITOR_ROLES)
  @ApiOperation({ summary: 'Start the fieldwork (the lead auditor)' })
  @ApiCreatedResponse({ type: InternalAuditAnswerDto })
  @CommandErrors()
  fieldwork(@Acting() by: Actor, @Param() p: AuditIdParamsDto): Promise<InternalAuditAnswerDto> {
    return this.audits.send(p.id, startFieldworkUpdate, { by });
  }

  @Post(':id/samples')
  @Roles(...AUDITOR_ROLES)
  @ApiOperation({ summary: 'Sample evidence as of a global position: the records, their positions and authors are recorded' })
  @ApiCreatedResponse({ type: InternalAuditAnswerDto })
  @CommandErrors()
  sample(@Acting() by: Actor, @Param() p: AuditIdParamsDto, @Body() body: AuditSampleDto): Promise<InternalAuditAnswerDto> {
    return this.audits.send(p.id, recordSampleUpdate, body.toInput(by));
  }

  @Post(':id/checklist')
  @Roles(...AUDITOR_ROLES)
  @ApiOperation({ summary: 'Record the checklist result of one criterion, with sampled evidence refs' })
  @ApiCreatedResponse({ type: InternalAuditAnswerDto })
  @CommandErrors()
  checklist(@Acting() by: Actor, @Param() p: AuditIdParamsDto, @Body() body: ChecklistResultDto): Promise<InternalAuditAnswerDto> {
    return this.audits.send(p.id, recordChecklistResultUpdate, body.toInput(by));
  }

  @Post(':id/findings')
  @Roles(...AUDITOR_ROLES)
  @ApiOperation({ summary: 'Record a finding; a minor or major nonconformity starts its linked corrective action (nonconformity-<id>)' })
  @ApiCreatedResponse({ type: InternalAuditAnswerDto })
  @CommandErrors()
  finding(@Acting() by: Actor, @Param() p: AuditIdParamsDto, @Body() body: FindingDto): Promise<InternalAuditAnswerDto> {
    return this.audits.send(p.id, recordFindingUpdate, body.toInput(by));
  }

  @Post(':id/report')
  @Roles(...AUDITOR_ROLES)
  @ApiOperation({ summary: 'Issue the audit report (the lead auditor): needs a sample and a checklist result per criterion' })
  @ApiCreatedResponse({ type: InternalAuditAnswerDto })
  @CommandErrors()
  report(@Acting() by: Actor, @Param() p: AuditIdParamsDto, @Body() body: AuditReportDto): Promise<InternalAuditAnswerDto> {
    return this.audits.send(p.id, issueReportUpdate, body.toInput(by));
  }

  @Post(':id/closure')
  @Roles(...AUDITOR_ROLES)
  @ApiOperation({ summary: 'Close the audit (the lead auditor): only when each nonconformity is closed or has an approved plan' })
  @ApiCreatedResponse({ type: InternalAuditAnswerDto })
  @CommandErrors()
  close(@Acting() by: Actor, @Param() p: AuditIdParamsDto): Promise<InternalAuditAnswerDto> {
    return this.audits.send(p.id, closeAuditUpdate, { by });
  }
}
