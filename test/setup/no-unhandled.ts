// Cloudtop promises no unhandled rejection, ever: any that happens during a test run fails the run.
const seen: unknown[] = [];

process.on('unhandledRejection', (reason) => {
  seen.push(reason);
  process.stderr.write(`Unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}\n`);
});

export const mochaHooks = {
  afterEach(this: Mocha.Context) {
    if (seen.length > 0) {
      const reasons = seen.splice(0).map((r) => (r instanceof Error ? r.message : String(r)));
      throw new Error(`unhandled rejection(s) during this test: ${reasons.join('; ')}`);
    }
  },
};
