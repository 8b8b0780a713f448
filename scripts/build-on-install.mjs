// The `prepare` script: builds dist/ whenever npm installs dbss-policy from source.
//
// npm runs `prepare` after `npm ci` / `npm install` in a checkout, before `npm pack`, and when
// it installs from a git URL (there with the dev dependencies already installed). It also runs
// it for `npm install -g .` from a fresh clone, but there it links the folder WITHOUT installing
// the folder's dependencies: neither the compiler nor the runtime packages are present. In that
// one case this script installs them first (from the lock file, scripts off so it does not call
// itself), so the linked `dbss-policy` finds both its dist/ and its node_modules/.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

// `npx dbss-policy` in a checkout links the folder into npx's own cache and runs `prepare` there:
// a run, not an install. The dist/ that `npm ci` or `npm run build` left is used as it is;
// rebuilding it would rewrite files that other runs of the CLI (a test suite, say) are loading.
if (process.env.npm_command === 'exec' && existsSync(join(root, 'dist', 'src', 'cli', 'main.js'))) process.exit(0);

if (!existsSync(tsc)) {
  process.stderr.write('dbss-policy: dependencies are not installed in this folder (npm install -g from a clone); running npm ci first\n');
  // The install belongs in this folder, not in the global prefix the outer npm targets, and the
  // outer command's flags (--global, --prefix, --allow-scripts, ...) are not for it: of npm's
  // settings only those that say where and how to fetch packages are passed on.
  const fetching = /^npm_config_(registry|cache|userconfig|globalconfig|prefer_offline|prefer_online|offline|proxy|https_proxy|noproxy|strict_ssl|cafile|ca|fetch_\w+|@[\w.-]+:registry|\/\/.*)$/i;
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^npm_config_/i.test(name) || fetching.test(name)),
  );
  const npmCli = process.env.npm_execpath;
  const [command, args] = npmCli && existsSync(npmCli) ? [process.execPath, [npmCli]] : ['npm', []];
  execFileSync(command, [...args, 'ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: root, env, stdio: 'inherit' });
}

if (!existsSync(tsc)) {
  // e.g. `npm ci --omit=dev` in a checkout: the compiler is a dev dependency.
  process.stderr.write('dbss-policy: cannot build dist/: the TypeScript compiler (a dev dependency) is not installed. Install with dev dependencies, or with --ignore-scripts and build as action.yml does.\n');
  process.exit(1);
}
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
