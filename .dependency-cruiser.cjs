/**
 * The architecture rules of ARCHITECTURE.md, enforced in CI (npm run lint).
 * Core = src/kernel/** and the one hyphen-free file per capability
 * (src/capabilities/stations/station.ts).
 */
const CORE = '^src/(kernel/|capabilities/[^/]+/[a-z]+\\.ts$)';
const ADAPTER = '^src/capabilities/[^/]+/[a-z-]+-ocpp(16|201|21)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Cycles make the composition order ambiguous.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'Core files decide; they do no I/O. Time and ids are passed in (ARCHITECTURE.md rule 2).',
      from: { path: CORE, pathNot: 'index\\.ts$' },
      to: { path: '(^|/)node_modules/(ws|fastify|@fastify|kysely|pg|@electric-sql|pino)/' },
    },
    {
      name: 'core-uses-no-node-builtins',
      severity: 'error',
      from: { path: CORE, pathNot: 'index\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-imports-only-core',
      severity: 'error',
      from: { path: CORE, pathNot: 'index\\.ts$' },
      to: { path: '^src/', pathNot: CORE },
    },
    {
      name: 'ocpp-wire-stops-at-adapters',
      severity: 'error',
      comment: 'Only *-ocpp16/201/21.ts files speak OCPP; services, REST and storage never see it (rule 1). ocpp-ports.ts holds transport-neutral ports.',
      from: { path: '^src/capabilities/', pathNot: ADAPTER },
      to: { path: '^src/ocpp/', pathNot: '^src/ocpp/ocpp-(ports|handler)\\.ts$' },
    },
    {
      name: 'handler-tables-only-in-adapters',
      severity: 'error',
      from: { path: '^src/capabilities/', pathNot: ADAPTER },
      to: { path: '^src/ocpp/ocpp-handler\\.ts$' },
    },
    {
      name: 'capabilities-meet-through-index',
      severity: 'error',
      comment: 'Another capability is reached only through its index.ts.',
      from: { path: '^src/capabilities/([^/]+)/' },
      to: { path: '^src/capabilities/([^/]+)/', pathNot: ['^src/capabilities/$1/', '^src/capabilities/[^/]+/index\\.ts$'] },
    },
    {
      name: 'edges-do-not-know-each-other',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/(ocpp|capabilities)/' },
    },
    {
      name: 'transport-does-not-know-capabilities',
      severity: 'error',
      from: { path: '^src/(ocpp|cluster|storage/(?!database-schema|migrations|tables))' },
      to: { path: '^src/capabilities/' },
    },
    {
      name: 'sim-is-standalone',
      severity: 'error',
      comment: 'The simulator is a program for any CSMS; it never imports the CSMS.',
      from: { path: '^sim/' },
      to: { path: '^src/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
