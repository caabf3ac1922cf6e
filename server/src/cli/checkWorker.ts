/**
 * The check worker's own entry point, bundled as dist/checkWorker.js: it holds only what checking
 * files needs (about a quarter of the CLI), so each worker thread starts in a fraction of the
 * time the whole CLI takes to load.
 */
import { isCheckWorker, runCheckWorker } from './parallelCheck';

if (isCheckWorker()) {
  runCheckWorker();
}
