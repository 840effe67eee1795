// oci-common's retrier console.warn()s every failed request ("Request cannot be retried…", "All retry attempts have
// exhausted…"), even with retries off (oci-common 2.139.1 lib/retrier.js, observed against a loopback server); in the
// CLI that is noise on stderr beside Cloudtop's own error, which already says what happened. Those three messages, and
// only they, are dropped; Cloudtop logs every failure itself. Installed once, when the OCI provider is first used.
const SDK_RETRY_NOISE =
  /^(?:Request cannot be retried\. Not Retrying\.|All retry attempts have exhausted\.|Request failed with Exception :)/;
let installed = false;

export function quietSdkWarnings(): void {
  if (installed) return;
  installed = true;
  const warn = console.warn.bind(console);
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && SDK_RETRY_NOISE.test(args[0])) return;
    warn(...args);
  };
}
