import { createRequire } from 'node:module';

/** The tool version from package.json (works from src/ under vitest and from dist/src/). */
export function toolVersion(): string {
  const require = createRequire(import.meta.url);
  for (const p of ['../package.json', '../../package.json']) {
    try {
      const pkg = require(p) as { name?: string; version?: string };
      if (pkg.name === 'dbss-policy' && pkg.version) return pkg.version;
    } catch {
      // try the next layout (source vs dist)
    }
  }
  return '0.0.0';
}
