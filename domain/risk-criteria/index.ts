export * from './criteria';
export * from './risk-criteria';
