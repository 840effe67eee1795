export function missingDebianPackages(names: readonly string[]): string[];
export function installCommand(names: readonly string[]): string;
export function ensureDebianPackages(names: readonly string[], purpose: string): void;
