// Architecture rules, checked in CI by `npm run lint:arch` (dependency-cruiser). Each rule says
// why it exists; test/unit/architecture/rules.test.ts shows every rule failing on a violating
// fixture, so a rule that can no longer fail is not mistaken for one that passes.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'sdk-imports-no-server-or-widget',
      comment: 'The SDK is the shared contract and client that the relay and the widget build on; ' +
        'it must not depend on either of them (STYLE.md: one source of truth for the wire contract).',
      severity: 'error',
      from: { path: '^sdk/' },
      to: { path: '^(server|widget)/' },
    },
    {
      name: 'pure-core-imports-no-node',
      comment: 'The contract and the pure cores (rules, masking, surveys, canned) run in the browser and in the relay, ' +
        'so they import no node:* module (STYLE.md principle 5). DOM globals are checked by ' +
        'sdk/tsconfig.pure.json, which compiles these folders without DOM or Node types.',
      severity: 'error',
      from: { path: '^sdk/src/(contract|rules|masking|surveys|canned)/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'store-imports-no-relay-or-plugins',
      comment: 'A store stores; the relay and the Fastify plugins sit above it and call it through ' +
        'the Store interface, never the other way round.',
      severity: 'error',
      from: { path: '^server/src/store/' },
      to: { path: '^server/src/(relay|plugins)/' },
    },
    {
      name: 'no-import-cycles',
      comment: 'A cycle ties its modules into one unit that can only be understood, tested and ' +
        'changed together. Type-only imports count too (tsPreCompilationDeps).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    // Type-only imports are dependencies too: a cycle through `import type` is still a cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.arch.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
}
