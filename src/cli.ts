// `cloudtop` command line. The engine is shared with the extension; this front end grows with the CLI issue.
import { parseArgs } from 'node:util';
import { version } from '../package.json';

const HELP = `Usage: cloudtop [options]

Shows what you run on Cloudflare, Oracle Cloud, Azure, Google Cloud, Neon, Vast.ai and RunPod.

Options:
  -h, --help       Show this help and exit
  -v, --version    Print the version and exit
`;

export function main(argv: string[]): number {
  let values: { help?: boolean; version?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`cloudtop: ${error instanceof Error ? error.message : String(error)}\nTry 'cloudtop --help'.\n`);
    return 2;
  }
  if (values.version) {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  process.stdout.write(HELP);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
