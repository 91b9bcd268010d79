export * from './model';
export * from './decide';
export * from './evolve';
export * from './follow-up';
