/**
 * The architecture rules of ARCHITECTURE.md, enforced in CI (npm run lint).
 * test/architecture/dependency-rules.test.ts plants one violation of each rule in a copy of the
 * tree and checks that this configuration names it, so a rule that stops biting fails the suite.
 *
 * A capability file's suffix says its role (ARCHITECTURE.md, "Capability files"):
 *   -service -repository -repository-sql -sql -http -ocpp16 -ocpp201 -ocpp21 -ports/-port -module index
 * Every other file of a capability, and everything in src/kernel/, is core: pure decisions.
 */
const ROLE = '-(service|repository|repository-sql|sql|http|ocpp16|ocpp201|ocpp21|ports?|module)\\.ts$';
/** A capability's module (its composition: services, SQL repositories, adapters' tables, routes). */
const MODULE = '^src/capabilities/[^/]+/[a-z0-9-]+-module\\.ts$';
const CORE = `^src/(kernel/[^/]+\\.ts$|capabilities/[^/]+/(?!index\\.ts$)(?![a-z0-9-]+${ROLE})[a-z0-9-]+\\.ts$)`;
const ADAPTER = '^src/capabilities/[^/]+/[a-z0-9-]+-ocpp(16|201|21)\\.ts$';
const SQL_ADAPTER = '^src/capabilities/[^/]+/[a-z0-9-]+-sql\\.ts$';
const DATABASE_PACKAGES = '(^|/)node_modules/(kysely|pg|pg-[a-z-]+|@electric-sql)/';

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
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'core-imports-no-packages',
      severity: 'error',
      comment: 'Core files decide; they do no I/O and use no library (rule 2). Time and ids are passed in.',
      from: { path: CORE },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'core-uses-no-node-builtins',
      severity: 'error',
      comment: 'node:crypto, node:fs, timers modules ... belong in a service (rule 2).',
      from: { path: CORE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-imports-only-core',
      severity: 'error',
      comment: 'Core imports kernel and core files; another capability only through its index (for its types: dependency-cruiser cannot tell type-only imports apart with TypeScript 7, so review keeps it to types).',
      from: { path: CORE },
      to: { path: '^src/', pathNot: [CORE, '^src/capabilities/[^/]+/index\\.ts$'] },
    },
    {
      name: 'database-only-in-sql-adapters',
      severity: 'error',
      comment: 'Only *-sql.ts files and src/storage/ speak SQL; services, routes and adapters go through a repository port.',
      from: { path: '^src/', pathNot: [SQL_ADAPTER, '^src/storage/', '^src/cluster/lease-sql\\.ts$', '^src/app\\.ts$'] },
      to: { path: DATABASE_PACKAGES },
    },
    {
      name: 'ocpp-wire-stops-at-adapters',
      severity: 'error',
      comment: 'Only *-ocpp16/201/21.ts files speak OCPP; services, REST and storage never see it (rule 1). ocpp-ports.ts holds transport-neutral ports.',
      from: { path: '^src/capabilities/', pathNot: ADAPTER },
      to: { path: '^src/ocpp/', pathNot: '^src/ocpp/ocpp-(ports|handler)\\.ts$' },
    },
    {
      name: 'adapters-only-through-index',
      severity: 'error',
      comment: 'No service, repository or route imports a version adapter: wire types would leak into it (rule 1).',
      from: { path: '^src/capabilities/', pathNot: [ADAPTER, MODULE, '^src/capabilities/[^/]+/index\\.ts$'] },
      to: { path: ADAPTER },
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
      comment: 'http/ knows neither the OCPP transport, the capabilities nor storage internals (migrations, tables).',
      from: { path: '^src/http/' },
      to: { path: '^src/(ocpp|capabilities|storage)/' },
    },
    {
      name: 'transport-does-not-know-capabilities',
      severity: 'error',
      from: { path: '^src/(ocpp|cluster|kernel|storage/(?!database-schema|migrations|tables))' },
      to: { path: '^src/capabilities/' },
    },
    {
      name: 'src-uses-no-dev-dependencies',
      severity: 'error',
      comment: 'Production code runs without devDependencies (npm ci --omit=dev).',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'sim-is-standalone',
      severity: 'error',
      comment: 'The simulator is a program for any CSMS; it never imports the CSMS.',
      from: { path: '^sim/' },
      to: { path: '^(src|web|test|bench)/' },
    },
    {
      name: 'web-talks-only-rest',
      severity: 'error',
      comment: 'The console is its own package: it reaches the CSMS through the REST API, never its code.',
      from: { path: '^web/' },
      to: { path: '^(src|sim|test|bench)/' },
    },
    {
      name: 'src-knows-no-tooling',
      severity: 'error',
      comment: 'The CSMS never imports its tests, benchmarks, simulator, tools or console source.',
      from: { path: '^src/' },
      to: { path: '^(test|bench|sim|web|tools)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'], exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
