/** The context of the organisation (4.1, 4.2): issues, interested parties, obligations, each entry versioned. */
export * from './model';
export * from './decide';
export * from './queries';
export * from './review-tasks';
