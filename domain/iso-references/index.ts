export * from './evidence-references';
