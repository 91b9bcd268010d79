export * from './notification-kinds';
export * from './rules';
export * from './templates';
export * from './directory';
export * from './events';
