export const ROOT: string;
export const ENV_DIR: string;
export const CODE_SERVER_VERSION: string;
export const NODE24: string;
export const NODE24_PKG: string;
export const CODE_SERVER_PKG: string;
export const CODE_SERVER_BIN: string;
export const CHROMIUM: string;
export function ensureVsCodeEnv(): { node: string; codeServer: string; codeServerPkg: string; chromium: string };
