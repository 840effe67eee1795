export function ensureTestTls(): { cert: string; key: string; certFile: string; keyFile: string };
export function testTlsEnv(env?: NodeJS.ProcessEnv): { NODE_EXTRA_CA_CERTS: string };
export function trustTestTlsInChildren(): void;
