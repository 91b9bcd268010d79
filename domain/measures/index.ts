/** The AIMS's computed measures (9.1): streaming folds over the evidence (issue 16 item 4). */
export * from './measures';
