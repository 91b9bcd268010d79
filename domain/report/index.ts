/** Reports an auditor reads: one model for audit, review and readiness reports (issue 17 item 6). */
export * from './model';
export * from './cited-evidence';
export * from './render-markdown';
export * from './render-html';
export * from './internal-audit-report';
