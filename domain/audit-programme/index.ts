/** The internal audit programme (ISO/IEC 42001 9.2.2, issue 17 item 1). */
export * from './programme';
export * from './responsibilities';
