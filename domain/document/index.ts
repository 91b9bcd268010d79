/** Controlled documents: the AI policy, the AIMS scope, procedures and other documented information (7.5). */
export * from './model';
export * from './authority';
export * from './content';
export * from './identity';
export * from './decide';
export * from './evolve';
export * from './queries';
