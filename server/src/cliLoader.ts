/**
 * The `gitops-workbench` executable (dist/cli.js): starts the CLI bundle (dist/cliMain.js, from
 * `cli.ts`) through V8's code cache in the user's cache folder, so a run compiles nothing it
 * compiled before. See `compileCache.ts`.
 */
import * as path from 'node:path';
import { loadWithCompileCache } from './compileCache';
import { defaultToolCacheDir } from './toolCache';

loadWithCompileCache(path.join(__dirname, 'cliMain.js'), path.join(defaultToolCacheDir(), 'v8'));
