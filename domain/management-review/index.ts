/** Management review (ISO/IEC 42001 9.3, issue 17 item 3): plan, input pack, minutes, decisions, sign-off. */
export * from './model';
export * from './decide';
export * from './inputs';
export * from './report';
export * from './tasks';
