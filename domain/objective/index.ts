/** AI objectives and their measurement (ISO/IEC 42001 6.2, 9.1; issue 16 item 4). */
export * from './model';
export * from './decide';
export * from './evolve';
