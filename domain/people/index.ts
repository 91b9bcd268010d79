/** People, their role appointments and the roles a request acts with (issue 16 item 1). */
export * from './model';
export * from './decide';
export * from './evolve';
export * from './acting-roles';
export * from './raci';
export * from './enforcement';
export * from './competence';
export * from './identity-register';
export * from './competence-timers';
export * from './competence-policy';
