// Generates test/fixtures/sdk-models.json: the field names and types of Huawei's DBSS SDK models,
// the fixture test/emulator/sdk-models.test.ts holds the emulator's answers and the client's
// requests against.
//
//   node scripts/sdk-models.mjs <checkout> <commit> [out]
//
// <checkout> is a folder holding `huaweicloud-sdk-dbss/` of huaweicloud/huaweicloud-sdk-python-v3
// (a clone, or `git archive <commit> huaweicloud-sdk-dbss | tar -x`); <commit> is the commit it
// was taken from, recorded in the fixture. Nothing of the SDK is copied but, per operation, its
// method, path, query parameters, body model and answer model, and per model the JSON name, type
// and required flag of each field, read from the generated sources:
//   - dbss_client.py: `_<operation>_http_info` gives the method, resource_path, response_type,
//     the query parameters (`query_params.append(('wire', local_var_params['attr']))`), the body
//     (`body = local_var_params['body']`) and the Content-Type;
//   - model/<snake>.py: `openapi_types` (attr -> type) and `attribute_map` (attr -> JSON name);
//     an attribute the constructor sets unconditionally (`self.x = x`, not under
//     `if x is not None:`) is required.
// Types keep the SDK's spelling: str, int, bool, float, object, datetime, list[T], dict(str, T) or
// a model name. Every operation of the package is kept, so kinds the emulator learns later are
// covered without regenerating.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [checkout, commit, out = 'test/fixtures/sdk-models.json'] = process.argv.slice(2);
if (!checkout || !/^[0-9a-f]{40}$/.test(commit ?? '')) {
  process.stderr.write('usage: node scripts/sdk-models.mjs <checkout of huaweicloud-sdk-python-v3> <40-hex commit> [out]\n');
  process.exit(2);
}

const pkg = join(checkout, 'huaweicloud-sdk-dbss');
const v1 = join(pkg, 'huaweicloudsdkdbss', 'v1');
const version = /VERSION = "([^"]+)"/.exec(readFileSync(join(pkg, 'setup.py'), 'utf8'))?.[1];
if (!version) throw new Error(`no VERSION in ${join(pkg, 'setup.py')}`);

/** A Python dict literal of 'key': 'value' pairs, as the generator writes openapi_types and attribute_map. */
function pyDict(source, name, file) {
  const body = new RegExp(`^    ${name} = \\{([^}]*)\\}`, 'm').exec(source)?.[1];
  if (body === undefined) throw new Error(`${file}: no ${name}`);
  return Object.fromEntries([...body.matchAll(/'([^']+)': '([^']+)'/g)].map((m) => [m[1], m[2]]));
}

/** The model's fields by JSON name: { type, required }. */
function readModel(file) {
  const source = readFileSync(file, 'utf8');
  const types = pyDict(source, 'openapi_types', file);
  const names = pyDict(source, 'attribute_map', file);
  const init = /def __init__\(self[^)]*\):([\s\S]*?)\n    (?:@|def )/.exec(source)?.[1] ?? '';
  const required = new Set([...init.matchAll(/^ {8}self\.(\w+) = (\w+)$/gm)].filter((m) => m[1] === m[2]).map((m) => m[1]));
  const fields = {};
  for (const attr of Object.keys(types).sort((a, b) => (names[a] ?? a).localeCompare(names[b] ?? b))) {
    fields[names[attr] ?? attr] = { type: types[attr], required: required.has(attr) };
  }
  return { fields, attrs: types };
}

const className = (snake) => snake.replace(/(^|_)([a-z0-9])/g, (_, __, c) => c.toUpperCase());

const models = {};
for (const file of readdirSync(join(v1, 'model')).filter((f) => f.endsWith('.py') && f !== '__init__.py')) {
  const source = readFileSync(join(v1, 'model', file), 'utf8');
  const name = /^class (\w+)/m.exec(source)?.[1] ?? className(file.slice(0, -3));
  models[name] = readModel(join(v1, 'model', file));
}

const client = readFileSync(join(v1, 'dbss_client.py'), 'utf8');
const operations = {};
for (const m of client.matchAll(/def _(\w+)_http_info\(cls, request\):([\s\S]*?)return http_info/g)) {
  const [, snake, body] = m;
  const method = /"method": "(\w+)"/.exec(body)?.[1];
  const path = /"resource_path": "([^"]+)"/.exec(body)?.[1];
  const response = /"response_type": "(\w+)"/.exec(body)?.[1];
  if (!method || !path || !response) throw new Error(`dbss_client.py: _${snake}_http_info: no method, path or response_type`);
  const operation = response.replace(/Response$/, '');
  const request = models[`${operation}Request`];
  if (!request) throw new Error(`no model ${operation}Request`);
  const attrType = (attr) => request.attrs[attr] ?? 'str';
  const query = {};
  for (const q of body.matchAll(/query_params\.append\(\('([^']+)', local_var_params\['(\w+)'\]\)\)/g)) {
    query[q[1]] = { type: attrType(q[2]), required: request.fields[q[1]]?.required ?? false };
  }
  const hasBody = /body = local_var_params\['body'\]/.test(body);
  const contentType = /select_header_content_type\(\s*\['([^']+)'\]\)/.exec(body)?.[1] ?? null;
  operations[operation] = { method, path, query, body: hasBody ? attrType('body') : null, contentType, response };
}

const sorted = (o) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));

// One field per line: the fixture diffs field by field when the SDK changes.
const lines = ['{'];
lines.push(`  "sdk": ${JSON.stringify({ repository: 'huaweicloud/huaweicloud-sdk-python-v3', commit, package: 'huaweicloud-sdk-dbss', version, generator: 'scripts/sdk-models.mjs' })},`);
lines.push('  "operations": {');
const ops = Object.entries(sorted(operations));
ops.forEach(([name, op], i) => lines.push(`    ${JSON.stringify(name)}: ${JSON.stringify(op)}${i < ops.length - 1 ? ',' : ''}`));
lines.push('  },');
lines.push('  "models": {');
const ms = Object.entries(sorted(models)).filter(([name]) => !name.endsWith('Request') || !operations[name.replace(/Request$/, '')]);
ms.forEach(([name, { fields }], i) => {
  const entries = Object.entries(fields);
  lines.push(`    ${JSON.stringify(name)}: {`);
  entries.forEach(([json, f], j) => lines.push(`      ${JSON.stringify(json)}: ${JSON.stringify(f)}${j < entries.length - 1 ? ',' : ''}`));
  lines.push(`    }${i < ms.length - 1 ? ',' : ''}`);
});
lines.push('  }');
lines.push('}');
writeFileSync(out, `${lines.join('\n')}\n`);
process.stdout.write(`${out}: ${ops.length} operations, ${ms.length} models (huaweicloud-sdk-dbss ${version}, ${commit})\n`);
