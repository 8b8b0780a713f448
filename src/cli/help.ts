import type { Command } from './io.js';

/**
 * Two examples per command, shown under its usage by `dbss-policy help <command>` and
 * `<command> --help`: the everyday call first, then one that shows the command's main options.
 */
const EXAMPLES: Readonly<Record<string, readonly [string, string][]>> = {
  validate: [
    ['dbss-policy validate', 'check ./policies offline'],
    ['dbss-policy validate --policies infra/dbss --format github', 'annotate a pull request in a workflow'],
  ],
  plan: [
    ['dbss-policy plan --emulator', 'try it: plan ./policies against the embedded demo emulator'],
    ['dbss-policy plan --instance prod-audit --out plan.json --detailed-exitcode', 'save a reviewable plan of one instance; exit 2 on changes'],
  ],
  apply: [
    ['dbss-policy apply plan.json', 'apply exactly the reviewed plan (refused when stale; asks on a terminal)'],
    ['dbss-policy apply --instance prod-audit --summary-tasks --yes --report apply.json', 'plan and apply one instance and its project\'s summary tasks without asking'],
  ],
  show: [
    ['dbss-policy show plan.json', 'read a saved plan (a CI artifact) without credentials or a live read'],
    ['dbss-policy show plan.json --format markdown', 'the same plan as a pull-request comment'],
  ],
  reconcile: [
    ['dbss-policy reconcile --dry-run --emulator', 'the demo: plan only, against the embedded emulator'],
    ['dbss-policy reconcile --report reconcile.json', 'the scheduled job: plan, apply, verify (asks only on a terminal)'],
  ],
  export: [
    ['dbss-policy export --project 0f1e2d3c4b5a69788796a5b4c3d2e1f0 --region cn-north-4', 'write exported/cn-north-4/<project>.yaml'],
    ['dbss-policy export --emulator --project 0f1e2d3c4b5a69788796a5b4c3d2e1f0 --region cn-north-4 --factor --out -', 'print the demo project with shared rules as rule sets'],
  ],
  completion: [
    ['dbss-policy completion bash > ~/.local/share/bash-completion/completions/dbss-policy', 'install bash completion for every session'],
    ['dbss-policy completion fish > ~/.config/fish/completions/dbss-policy.fish', 'install fish completion for every session'],
  ],
  emulator: [
    ['dbss-policy emulator --seed-demo --port 8088', 'a persistent demo estate at http://127.0.0.1:8088'],
    ['dbss-policy emulator --ephemeral --generate 2x20x50 --rate-limit 600/min', 'a throttled generated estate, forgotten on exit'],
  ],
};

/** A command's full help: its usage (options with their defaults), then its examples. */
export function commandHelp(command: Command): string {
  const usage = command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`;
  const examples = EXAMPLES[command.name] ?? [];
  if (examples.length === 0) return usage;
  const lines = examples.flatMap(([call, what]) => [`  ${call}`, `      ${what}`]);
  return `${usage}\nExamples:\n${lines.join('\n')}\n`;
}

/** The top-level help: the commands with one line each. */
export function topHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'dbss-policy: Huawei Cloud DBSS audit policy as code',
    '',
    'Usage: dbss-policy <command> [options]',
    '       dbss-policy help <command>        (or dbss-policy <command> --help): its options, defaults and examples',
    '       dbss-policy version               (or --version, -V, -v): the version',
    '',
    'Commands:',
    ...lines,
    '',
    'Exit codes: 0 ok/no changes, 1 error, 2 changes present (--detailed-exitcode), 130 interrupted',
    'Environment: NO_COLOR / FORCE_COLOR (colour), DBSS_ENDPOINT, credentials (see plan --help)',
    'Config: dbss-policy.yaml in the working directory (or --config FILE) sets flag defaults;',
    '        flags > environment (DBSS_POLICY_<FLAG>) > config file > defaults (see <command> --help)',
    '',
  ].join('\n');
}
