/**
 * How a report goes over HTTP: Markdown as text/markdown, the HTML file as text/html with the same
 * Content-Security-Policy it carries inside (so a browser opening it from the API loads nothing either),
 * never sniffed as something else, named for saving.
 */
import type { Response } from 'express';
import { REPORT_CSP } from '../../../../domain/report/render-html';
import type { ReportFormat } from './internal-audit.process';

export const REPORT_RESPONSE = {
  description: 'format=md (default): the report as Markdown; format=html: the report as one self-contained HTML file',
  content: {
    'text/markdown': { schema: { type: 'string' } },
    'text/html': { schema: { type: 'string' } },
  },
};

export function sendReport(res: Response, format: ReportFormat, subject: string, text: string): string {
  res.setHeader('Content-Type', format === 'html' ? 'text/html; charset=utf-8' : 'text/markdown; charset=utf-8');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Disposition', `inline; filename="internal-audit-${subject}-report.${format}"`);
  if (format === 'html') res.setHeader('Content-Security-Policy', REPORT_CSP);
  return text;
}
