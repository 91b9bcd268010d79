/** Internal audits (ISO/IEC 42001 9.2.1): plan, fieldwork, report, follow-up, closure (issue 17 item 2). */
export * from './model';
export * from './decide';
export * from './evolve';
export * from './independence';
export * from './follow-up';
