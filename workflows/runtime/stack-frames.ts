/**
 * Preloaded into the workflow sandbox before the SDK freezes its globals (bundler `preloadModules`,
 * WORKFLOW_BUNDLER_OPTIONS): how many frames a stack trace in workflow code keeps.
 *
 * Why: the TypeScript SDK's promise hook captures a stack trace for every promise workflow code creates
 * (for the `__stack_trace` query) and maps each frame through the bundle's source map, some 5–10 µs a
 * frame. A gate request creates dozens of promises, so with V8's default of 10 frames this was a third of
 * the workflow thread's CPU (docs/benchmarks.md, "Where the CPU goes on the gate's path"). Six frames
 * keep what a stack says of a stuck or failed workflow (the hook's own two frames, then where the promise
 * or error was made and what called it) at about half the cost.
 *
 * Safe to share across workflows: it sets one number and keeps no state; stack traces never feed a
 * workflow's decisions, so replay is unaffected.
 */
export const WORKFLOW_STACK_FRAMES = 6;

Error.stackTraceLimit = WORKFLOW_STACK_FRAMES;
