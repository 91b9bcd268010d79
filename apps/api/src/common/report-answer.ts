/**
 * How a report goes over HTTP: Markdown as text/markdown, the HTML file as text/html with the same
 * Content-Security-Policy it carries inside (so a browser opening it from the API loads nothing either),
 * never sniffed as something else, named for saving.
 */
import type { Response } from 'express';
import { REPORT_CSP } from '../../../../domain/report/render-html';

/** md: text/markdown; html: one self-contained text/html file. */
export type ReportFormat = 'md' | 'html';

export const REPORT_RESPONSE = {
  description: 'format=md (default): the report as Markdown; format=html: the report as one self-contained HTML file',
  content: {
    'text/markdown': { schema: { type: 'string' } },
    'text/html': { schema: { type: 'string' } },
  },
};

/** `fileStem` names the saved file ("internal-audit-IA-1-report", "readiness-stage-1"); the format adds its extension. */
export function sendReport(res: Response, format: ReportFormat, fileStem: string, text: string): string {
  res.setHeader('Content-Type', format === 'html' ? 'text/html; charset=utf-8' : 'text/markdown; charset=utf-8');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Disposition', `inline; filename="${fileStem.replace(/[^A-Za-z0-9._-]/g, '_')}.${format}"`);
  if (format === 'html') res.setHeader('Content-Security-Policy', REPORT_CSP);
  return text;
}
