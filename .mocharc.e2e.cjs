// Mocha's config for the e2e layer. A .cjs file rather than JSON for one line of code: the trust for the HTTPS
// simulators' certificate (scripts/test-tls.cjs), which Node reads only at start, is put in the environment here,
// before mocha starts the worker process that runs the tests (it does, for node-option).
'use strict';
require('./scripts/test-tls.cjs').trustTestTlsInChildren();

module.exports = {
  spec: ['test/e2e/**/*.test.ts'],
  'node-option': ['import=tsx'],
  require: ['test/setup/no-unhandled.ts'],
  extension: ['ts'],
  timeout: 120000,
  reporter: 'test/setup/stats-reporter.cjs',
};
