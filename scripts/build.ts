/**
 * The build: type-check, lint, format check, then bundle with esbuild. Any failure fails the
 * build with a non-zero exit code. `--bundle-only` skips the checks; `--package` also makes
 * the VSIX at dist/gitops-workbench.vsix.
 */
import * as path from 'node:path';
import { bundle } from './bundle';
import { nodeBin, run } from './run';

const ROOT = path.resolve(__dirname, '..');
export const VSIX_PATH = path.join(ROOT, 'dist', 'gitops-workbench.vsix');

interface Step {
  readonly name: string;
  readonly action: () => Promise<number>;
}

function nodeStep(name: string, moduleBin: string, args: string[]): Step {
  return {
    name,
    action: () => run(process.execPath, [nodeBin(moduleBin), ...args], { cwd: ROOT }),
  };
}

async function main(argv: readonly string[]): Promise<number> {
  const steps: Step[] = [];
  if (!argv.includes('--bundle-only')) {
    steps.push(
      nodeStep('type-check (tsc -b)', 'typescript/bin/tsc', ['-b']),
      nodeStep('lint (eslint)', 'eslint/bin/eslint.js', ['--max-warnings', '0', '.']),
      nodeStep('format check (prettier)', 'prettier/bin/prettier.cjs', [
        '--check',
        '--log-level',
        'warn',
        '.',
      ]),
    );
  }
  steps.push({ name: 'bundle (esbuild)', action: () => bundle(ROOT).then(() => 0) });
  if (argv.includes('--package')) {
    steps.push(
      nodeStep('package (vsce)', '@vscode/vsce/vsce', [
        'package',
        '--no-dependencies',
        '--allow-missing-repository',
        '--no-rewrite-relative-links',
        '--out',
        VSIX_PATH,
      ]),
    );
  }
  for (const step of steps) {
    const started = Date.now();
    process.stdout.write(`build: ${step.name}...\n`);
    const code = await step.action();
    if (code !== 0) {
      process.stderr.write(`build: ${step.name} failed (exit ${code}).\n`);
      return code;
    }
    process.stdout.write(
      `build: ${step.name} ok (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
    );
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`build: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
