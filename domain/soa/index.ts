/** The Statement of Applicability and the status of its controls from the evidence (issue 14 item 4). */
export * from './model';
export * from './decide';
export * from './evolve';
export * from './control-rules';
export * from './control-status';
export * from './risk-treatment-request';
