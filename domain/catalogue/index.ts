/**
 * ISO/IEC 42001:2023 catalogues (identifiers with titles in our own words): the Annex A controls and the
 * requirement clauses 4–10. Used to validate every record that cites a control or a clause.
 */
export * from './annex-a-controls';
export * from './clauses';
