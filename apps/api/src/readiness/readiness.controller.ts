/**
 * Certification readiness (issue 17 item 5): what a certification auditor will ask for at Stage 1 or Stage 2,
 * checked against the evidence as of a date; each gap names where, what and the clause. Read-only.
 */
import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../auth/roles.decorator';
import { REPORT_RESPONSE, sendReport } from '../common/report-answer';
import { ReadinessDto, ReadinessQueryDto, ReadinessReportQueryDto } from './readiness.dto';
import { ReadinessReader } from './readiness-reader';

@ApiTags('readiness')
@Controller('v1/readiness')
export class ReadinessController {
  constructor(private readonly reader: ReadinessReader) {}

  @Get()
  @Roles('auditor', 'internal_auditor', 'aims_owner', 'top_management')
  @ApiOperation({
    summary: 'Certification readiness at Stage 1 or 2 as of a date: every check met or each gap with where, what and the clause',
  })
  @ApiOkResponse({ type: ReadinessDto, description: 'The checks (200 whether ready or not: `ready` says which)' })
  check(@Query() query: ReadinessQueryDto): Promise<ReadinessDto> {
    return this.reader.check(query);
  }

  @Get('report')
  @Roles('auditor', 'internal_auditor', 'aims_owner', 'top_management')
  @ApiOperation({
    summary:
      'The readiness check as a report an auditor reads, as Markdown or one self-contained HTML file: a summary, then each check met or each gap with its clause and the evidence ids it rests on',
  })
  @ApiProduces('text/markdown', 'text/html')
  @ApiOkResponse(REPORT_RESPONSE)
  report(@Query() query: ReadinessReportQueryDto, @Res({ passthrough: true }) res: Response): Promise<string> {
    const format = query.format ?? 'md';
    return this.reader.report(query, format).then((text) => sendReport(res, format, `readiness-stage-${query.stage ?? '1'}`, text));
  }
}
