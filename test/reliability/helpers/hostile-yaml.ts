import fc from 'fast-check';
import { stringify } from 'yaml';

/**
 * fast-check arbitraries of malformed, hostile and random policy files: policy-shaped documents
 * whose values have the wrong types, huge numbers, unicode and control characters; raw YAML
 * assembled from syntax fragments (anchors, aliases, tags, flow and block nesting, directives);
 * a few known attacks (alias bombs, absurd nesting); and bytes that are not UTF-8.
 */

const HOSTILE_STRINGS = [
  '', ' ', '~', 'null', 'yes', 'on', 'ON', 'off', '0x1F', '0o17', '1e400', '-.inf', '.nan', '9'.repeat(400),
  '-1', '2147483648', '00000000000000000000000000000000', 'cn-north-4', 'HIGH', 'DROP_TABLE', '10.0.0.0/8',
  '999.1.1.1/33', '::1', 'fe80::1%eth0', '1.2.3.4-1.2.3.1', '\u0000', '\u0007', '\t', '\r\n', '\ufeff', '\u202e',
  '\ud800', '𝕏🙂', 'Ω'.repeat(300), '__proto__', 'constructor', '$ref', '${HOME}', '../../etc/passwd', '<script>',
];

/** A scalar of any type, often the wrong one. */
const hostileScalar = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
  fc.boolean(),
  fc.constant(null),
);

/** Any value: scalars, arrays and objects nested a few levels. */
const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileScalar,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom('name', 'id', 'risk_level', 'status', 'actions', 'prune'), fc.string({ maxLength: 8 })), tie('v'), { maxKeys: 4 }),
  ),
})).v;

/** A valid value or a hostile one. */
const either = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 2, arbitrary: valid }, { weight: 1, arbitrary: hostileValue });

const rule = fc.record(
  {
    name: either(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/)),
    risk_level: either(fc.constantFrom('HIGH', 'MEDIUM', 'LOW', 'NO_RISK')),
    status: either(fc.constantFrom('ON', 'OFF')),
    actions: either(fc.array(fc.constantFrom('DELETE', 'SELECT', 'DROP_TABLE'), { maxLength: 3 })),
    affect_rows: either(fc.record({ symbol: fc.constantFrom('GREATER', 'LESS'), value: fc.integer({ min: 0, max: 3_000_000_000 }) })),
    client_ips: either(fc.array(fc.constantFrom('10.0.0.0/8', '1.2.3.4', '::1', '10.0.0.1-10.0.0.9'), { maxLength: 3 })),
    schemas: either(fc.array(fc.record({ schema: fc.string({ maxLength: 5 }) }), { maxLength: 2 })),
  },
  { requiredKeys: [] },
);

const instance = fc.record(
  {
    name: either(fc.constantFrom('prod-audit', 'a', 'x'.repeat(300))),
    id: either(fc.stringMatching(/^[0-9a-f]{32}$/)),
    prune: either(fc.boolean()),
    system_rules: either(fc.dictionary(fc.constantFrom('Slow_SQL_detection', 'Unknown_rule'), fc.constantFrom('ON', 'OFF', 'on'))),
    risk_rules: either(fc.array(rule, { maxLength: 4 })),
  },
  { requiredKeys: [] },
);

/** A policy-shaped document with any part replaced by a hostile value. */
const policyDocument = fc.record(
  {
    version: either(fc.constant(1)),
    region: either(fc.constant('cn-north-4')),
    project_id: either(fc.constant('0f1e2d3c4b5a69788796a5b4c3d2e1f0')),
    summary_tasks: either(fc.record({ risk: fc.constantFrom('on', 'off', true) }, { requiredKeys: [] })),
    instances: either(fc.array(instance, { maxLength: 3 })),
  },
  { requiredKeys: [] },
).chain((doc) => fc.tuple(fc.constant(doc), fc.dictionary(fc.string({ maxLength: 6 }), hostileValue, { maxKeys: 2 })))
  .map(([doc, extra]) => stringify({ ...doc, ...extra }, { aliasDuplicateObjects: false }));

const FRAGMENTS = [
  'version: 1\n', 'region: cn-north-4\n', 'project_id: 0f1e2d3c4b5a69788796a5b4c3d2e1f0\n', 'instances:\n', '  - name: a\n',
  '    risk_rules:\n', '      - name: r\n', '        risk_level: HIGH\n', '---\n', '...\n', '%YAML 1.1\n', '%TAG ! tag:x,2024:\n',
  '&a ', '*a ', '*undefined ', '!!str ', '!!binary ', '!custom ', '<<: *a\n', '? ', ': ', '- ', '[', ']', '{', '}', ',', '"', "'",
  '|\n', '>-\n', '#', '\t', '  ', '\n', '\r', '\u0000', '\ufeff', 'version: 1\nversion: 2\n', 'key: value: nested\n',
];

/** Raw text stitched from YAML syntax fragments and random characters. */
const rawYaml = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'binary', maxLength: 12 })), { maxLength: 40 })
  .map((parts) => parts.join(''));

const depth = (n: number, open: string, close: string): string => `version: 1\nx: ${open.repeat(n)}${close.repeat(n)}\n`;
const bomb = ['a: &a [x,x,x,x,x,x,x,x,x]', ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`)].join('\n');

/** Known attacks: alias bombs, absurd nesting, huge numbers, a file over the size cap. */
const attack = fc.constantFrom(
  `${bomb}\n`,
  depth(20_000, '[', ']'),
  depth(20_000, '{a: ', '}'),
  Array.from({ length: 500 }, (_, i) => `${' '.repeat(i)}- `).join('\n'),
  `version: 1\nregion: cn-north-4\nproject_id: 0f1e2d3c4b5a69788796a5b4c3d2e1f0\ninstances: [{name: a, risk_rules: [{name: r, risk_level: HIGH, affect_rows: {symbol: GREATER, value: ${'9'.repeat(500)}}}]}]\n`,
  `x: "${'y'.repeat(1024 * 1024)}"\n`,
);

/** The content of one file: text or raw bytes. */
export const hostileFileContent: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  { weight: 4, arbitrary: policyDocument },
  { weight: 3, arbitrary: rawYaml },
  { weight: 1, arbitrary: attack },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
);

/** A small tree: file paths (some nested, some not policy files) with hostile contents. */
export const hostileTree = fc.uniqueArray(
  fc.tuple(fc.constantFrom('a.yaml', 'b.yml', 'team/c.YAML', 'deep/er/d.yaml', 'notes.txt', '.hidden.yaml'), hostileFileContent),
  { minLength: 1, maxLength: 4, selector: ([path]) => path },
);
