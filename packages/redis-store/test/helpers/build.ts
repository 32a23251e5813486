import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/**
 * Builds the packages that child processes import from dist/ (they run plain node, without
 * ts-jest). Incremental: next to nothing to do when CI has already run `npm run build`.
 */
export function buildPackages(): void {
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'packages/core', 'packages/express-adapter', 'packages/redis-store'], { cwd: ROOT, stdio: 'pipe' });
}
