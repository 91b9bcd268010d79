/** The improvement register (ISO/IEC 42001 10.1, issue 17 item 4). */
export * from './improvement';
