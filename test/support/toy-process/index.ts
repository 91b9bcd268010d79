/** The toy worker's workflows: registering a process is this one line (workflows/index.ts for real ones). */
export { documentReview } from './toy.workflow';
