/** Certification readiness (issue 17 item 5): a streaming fold over the evidence, the checks, the report. */
export * from './model';
export * from './fold';
export * from './assess';
export * from './report';
