// Mocha's spec reporter, plus the run's counts appended as one JSON line to $CLOUDTOP_STATS_FILE so
// scripts/test.mjs can print one `N passed, N failed` line that sums every layer.
'use strict';
const fs = require('node:fs');
const Mocha = require('mocha');

const { Spec } = Mocha.reporters;
const { EVENT_RUN_END } = Mocha.Runner.constants;

class StatsReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const file = process.env.CLOUDTOP_STATS_FILE;
      if (!file) return;
      const { passes, failures, pending } = runner.stats ?? this.stats;
      const layer = process.env.CLOUDTOP_LAYER ?? 'mocha';
      fs.appendFileSync(file, JSON.stringify({ layer, passes, failures, pending }) + '\n');
    });
  }
}

module.exports = StatsReporter;
