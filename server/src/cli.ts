// `jpmg <command>`: a small dispatcher. Each command lives in server/src/cli/<name>Command.ts and returns its exit
// code; this file only routes, prints help and version, and turns an unexpected exception into exit code 2.
import { corpusCommand } from './cli/corpusCommand';
import { checkCommand } from './cli/checkCommand';

declare const JPMG_VERSION: string | undefined;

type Command = (argv: string[]) => Promise<number>;

// ---- Command registration point: one line per command. ----------------------------------------------------
const commands: Record<string, { run: Command; summary: string }> = {
  corpus: { run: corpusCommand, summary: 'list the corpus entities, or `corpus validate [DIR]` to check a corpus' },
  check: { run: (argv) => checkCommand(argv), summary: 'check Markdown briefs against the corpus (`check --help`)' },
};
// -------------------------------------------------------------------------------------------------------------

function version(): string {
  if (typeof JPMG_VERSION === 'string') return JPMG_VERSION;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require('node:fs') as typeof import('node:fs');
    const path = require('node:path') as typeof import('node:path');
    for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) {
      const p = path.join(dir, 'package.json');
      if (fs.existsSync(p)) {
        const pkg = JSON.parse(fs.readFileSync(p, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'jpmg-briefs' && pkg.version) return pkg.version;
      }
    }
  } catch {
    // fall through
  }
  return 'unknown';
}

function help(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    'Usage: jpmg <command> [options]',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  --help       show this help (or `jpmg <command> --help`)',
    '  --version    print the version',
    '',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(help());
    return first === undefined ? 2 : 0;
  }
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const command = Object.prototype.hasOwnProperty.call(commands, first) ? commands[first] : undefined;
  if (!command) {
    process.stderr.write(`jpmg: unknown command "${first}"\n\n${help()}`);
    return 2;
  }
  return command.run(rest);
}

if (require.main === module) {
  // `jpmg corpus | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); });
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => {
      process.stderr.write(`jpmg: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
