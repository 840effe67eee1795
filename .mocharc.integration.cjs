// Mocha's config for the integration layer. A .cjs file rather than JSON for one line of code: the trust for the HTTPS
// simulators' certificate (scripts/test-tls.cjs), which Node reads only at start, is put in the environment here,
// before mocha starts the worker process that runs the tests (it does, for node-option).
'use strict';
require('./scripts/test-tls.cjs').trustTestTlsInChildren();

module.exports = {
  // The simulators' self-tests live beside them (test/sim/tests/) and run with this layer.
  spec: ['test/integration/**/*.test.ts', 'test/sim/tests/**/*.test.ts'],
  'node-option': ['import=tsx'],
  require: ['test/setup/no-unhandled.ts', 'test/setup/redis-server.ts'],
  extension: ['ts'],
  timeout: 20000,
  reporter: 'test/setup/stats-reporter.cjs',
};
