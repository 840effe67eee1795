// The HTTP client's default limits, apart from http.ts so a provider that enforces the same limits on its own
// SDK's requests (Cloudflare) imports two numbers, not undici: a provider bundle copies what it imports.
/** Per request, connecting and reading the body included. */
export const DEFAULT_TIMEOUT_MS = 15_000;
/** The largest answer body read. */
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
