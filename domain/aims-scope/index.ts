/** The scope of the AIMS (4.3): the statement, its versions, a decision per AI system, the reconciliation. */
export * from './model';
export * from './decide';
export * from './evolve';
export * from './queries';
export * from './task-reminders';
