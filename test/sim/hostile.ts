// Names a cloud will happily store and return, and that must never execute, spoof or corrupt anything in
// Cloudtop's views: the dashboard webview (HTML/script), tree labels and tooltips (markdown, codicons,
// command links), the terminal table (control sequences) and file names (right-to-left override).
// Exported so tests can assert each one is shown inertly.

export const LONG_NAME = `long-${'x'.repeat(490)}-name`; // exactly 500 characters

export const HOSTILE_NAMES: readonly string[] = [
  '<img src=x onerror=alert(1)>',
  '</script><script>alert(1)</script>',
  '"><svg onload=alert(1)>',
  '\u202Egnp.exe', // right-to-left override: renders as "exe.png"
  'عنقود-الإنتاج-١', // right-to-left script
  '🚀 gpu 👩‍💻 train 🇺🇳', // emoji with ZWJ sequence and flag
  '\u001b[31mred\u001b[0m', // ANSI colour
  'bell\u0007', // terminal bell
  'line\roverwrite', // carriage return rewrites a terminal line
  'tab\tand\nnewline',
  '$(alert) $(bug) codicon', // VS Code renders $(name) in labels and the status bar
  '[open](command:workbench.action.terminal.new)', // command link in a markdown tooltip
  '{{constructor.constructor("alert(1)")()}}',
  "'; DROP TABLE resources;--",
  'zero\u200Bwidth\u200Dspace',
  LONG_NAME,
];

/** Hostile name number i, cycling through the list. */
export function hostileName(i: number): string {
  return HOSTILE_NAMES[((i % HOSTILE_NAMES.length) + HOSTILE_NAMES.length) % HOSTILE_NAMES.length];
}

/**
 * Gives the first items hostile names (as many as there are names, or items), so every name appears
 * whenever a cloud has at least HOSTILE_NAMES.length resources. Mutates and returns the list.
 */
export function applyHostileNames<T extends { name: string | null }>(items: T[]): T[] {
  items.slice(0, HOSTILE_NAMES.length).forEach((item, i) => {
    item.name = hostileName(i);
  });
  return items;
}

/**
 * Sets the given nullable fields to null on every `every`-th item (starting with the first), for
 * fields a provider's docs mark nullable. Mutates and returns the list.
 */
export function nullOut<T extends object>(items: T[], fields: readonly (keyof T)[], every = 3): T[] {
  items.forEach((item, i) => {
    if (i % every !== 0) return;
    for (const field of fields) (item as Record<keyof T, unknown>)[field] = null;
  });
  return items;
}
