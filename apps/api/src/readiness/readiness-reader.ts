/**
 * Certification readiness over HTTP: streams the evidence of the categories the checks read, in log order up
 * to the instant asked for, through the readiness fold (memory follows the records of interest, never the
 * store), and judges the checks as of that instant.
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  assessReadiness,
  READINESS_CATEGORIES,
  readinessFold,
  readinessReport,
  type ReadinessResult,
  type ReadinessStage,
} from '../../../../domain/readiness';
import { renderReportHtml, renderReportMarkdown } from '../../../../domain/report';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import { parseAsOf } from '../common/ids';
import { invalidField } from '../common/problems';
import type { ReportFormat } from '../common/report-answer';
import { EVENT_STORE } from '../stores/store.tokens';
import type { ReadinessBasisDto, ReadinessDto, ReadinessQueryDto } from './readiness.dto';

/** A date or an instant (a position says nothing of the clocks the checks compare). */
function instant(field: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const parsed = /^\d+$/.test(raw) ? null : parseAsOf(raw);
  if (parsed === null || !('time' in parsed))
    throw invalidField(field, 'must be an ISO 8601 instant with an offset or a date (YYYY-MM-DD)');
  return parsed.time;
}

@Injectable()
export class ReadinessReader {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  async check(query: ReadinessQueryDto): Promise<ReadinessDto> {
    const { result, basis } = await this.assess(query);
    const gaps = result.checks.filter((c) => c.status === 'gap').length;
    return {
      ...result,
      checks: result.checks.map((c) => ({ ...c, evidence: [...c.evidence] })),
      met: result.checks.length - gaps,
      gaps,
      basis,
    };
  }

  /** The same check as a report an auditor reads (issue 17 item 6): Markdown or one self-contained HTML file. */
  async report(query: ReadinessQueryDto, format: ReportFormat): Promise<string> {
    const { result, basis } = await this.assess(query);
    const doc = readinessReport(result, basis, { generatedAt: new Date().toISOString() });
    return format === 'html' ? renderReportHtml(doc) : renderReportMarkdown(doc);
  }

  private async assess(query: ReadinessQueryDto): Promise<{ result: ReadinessResult; basis: ReadinessBasisDto }> {
    const stage: ReadinessStage = query.stage === '2' ? 2 : 1;
    const asked = instant('asOf', query.asOf);
    const since = instant('since', query.since);
    const asOf = asked ?? new Date().toISOString();
    if (since !== undefined && since > asOf) throw invalidField('since', 'must not be after asOf (the end of the operating period)');
    let state = readinessFold.initial();
    let basis: ReadinessBasisDto = { position: 0, ...(asked === undefined ? {} : { asOf: asked }) };
    for await (const e of this.events.readAll({ categories: [...READINESS_CATEGORIES], pageSize: 1000 })) {
      // recordedAt never decreases along positions, so "as of T" is a prefix of the log.
      if (e.recordedAt > asOf) break;
      state = readinessFold.evolve(state, e);
      basis = { position: e.position, recordedAt: e.recordedAt, hash: e.hash, ...(asked === undefined ? {} : { asOf: asked }) };
    }
    return { result: assessReadiness(state, stage, asOf, since === undefined ? {} : { since }), basis };
  }
}
