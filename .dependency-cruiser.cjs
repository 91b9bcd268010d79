/**
 * The product's layering, checked on every `npm test`:
 * domain/ is pure; workflows/ stay deterministic; activities/ never reach into apps/.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain/ imports only domain/: no framework, no I/O, no Node built-ins.',
      severity: 'error',
      from: { path: '^domain/' },
      to: { pathNot: '^domain/' },
    },
    {
      name: 'workflows-are-deterministic',
      comment:
        'workflows/ import only @temporalio/workflow, domain/ and each other (types from activities/ are allowed: they vanish at compile time).',
      severity: 'error',
      from: { path: '^workflows/' },
      to: {
        pathNot: ['^workflows/', '^domain/', 'node_modules/@temporalio/(workflow|common)/'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'activities-do-not-import-apps',
      severity: 'error',
      from: { path: '^activities/' },
      to: { path: '^apps/' },
    },
    {
      name: 'infra-does-not-import-apps',
      severity: 'error',
      from: { path: '^infra/' },
      to: { path: '^(apps|workflows)/' },
    },
    {
      name: 'console-speaks-http-only',
      comment:
        'The web console (apps/console) reaches the engine through its HTTP API (the generated client), never its code; nor does the engine import the console.',
      severity: 'error',
      from: { path: '^apps/console/' },
      to: { path: '^(domain|infra|activities|workflows|apps/(api|cli|worker))/' },
    },
    {
      name: 'engine-does-not-import-console',
      severity: 'error',
      from: { path: '^(domain|infra|activities|workflows|apps/(api|cli|worker))/' },
      to: { path: '^apps/console/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^(domain|infra|activities|workflows)/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|data|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['cjs', 'es6'],
  },
};
