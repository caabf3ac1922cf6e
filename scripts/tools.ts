// `npm run tools [-- name...]`: builds the pinned tools that are missing from the cache, then
// prints one line per tool: name, pinned version, and what the binary says its version is.
import {
  ensureTools,
  isToolName,
  toolVersion,
  toolVersionArgs,
  allTools,
} from './harness/toolchain';
import type { ToolName } from './harness/toolchain';
import { runProcess } from './harness/processes';

async function main(argv: string[]): Promise<void> {
  const unknown = argv.filter((name) => !isToolName(name));
  if (unknown.length > 0) {
    throw new Error(`Unknown tool ${unknown.join(', ')}; the tools are: ${allTools.join(', ')}.`);
  }
  const names: readonly ToolName[] = argv.length > 0 ? (argv as ToolName[]) : allTools;
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const started = Date.now();
  const paths = await ensureTools(names, {
    signal: controller.signal,
    onProgress: (progress) => console.log(progress.message),
  });
  console.log(`tools ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const name of names) {
    const { stdout, stderr } = await runProcess(paths[name], toolVersionArgs(name), {
      timeoutMs: 30_000,
      signal: controller.signal,
    });
    const said = `${stdout}${stderr}`
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line.length > 0)
      .join('; ');
    console.log(`${name.padEnd(24)} ${toolVersion(name).padEnd(9)} ${said}`);
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`npm run tools: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
