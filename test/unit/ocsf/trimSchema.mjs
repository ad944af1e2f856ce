// Writes the trimmed OCSF schema the OCSF tests validate against (schema-1.1.0.json beside this
// file), from a checkout of github.com/ocsf/ocsf-schema (Apache-2.0): the event classes the audit
// trail maps to, resolved the way the OCSF server resolves them (base_event → category class →
// class; $include files; the dictionary's types and enums merged with the class's own), and the
// objects those events use. Profile attributes are left out (the events declare no profile).
//   node test/unit/ocsf/trimSchema.mjs <ocsf-schema checkout> [git ref, default refs/tags/v1.1.0]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [repo, ref = 'refs/tags/v1.1.0'] = process.argv.slice(2);
if (!repo) throw new Error('usage: trimSchema.mjs <ocsf-schema checkout> [ref]');
const git = (...args) => execFileSync('git', ['--git-dir', repo, ...args], { encoding: 'utf8' });
const read = (path) => JSON.parse(git('show', `${ref}:${path}`));
const commit = git('rev-parse', `${ref}^{commit}`).trim();
const version = read('version.json').version;
const dictionary = read('dictionary.json');
const categories = read('categories.json').attributes;

const CLASSES = { base_event: 'events/base_event.json', authorize_session: 'events/iam/authorize_session.json', account_change: 'events/iam/account_change.json', api_activity: 'events/application/api.json' };
const PARENTS = { iam: 'events/iam/iam.json', application: 'events/application/application.json', base_event: 'events/base_event.json' };
const OBJECTS = ['metadata', 'product', 'user', 'actor', 'session', 'api', 'service', 'network_endpoint', 'resource_details', 'account', 'request', 'response', 'cloud', 'group', 'idp', 'authorization', 'policy'];

function ownAttributes(def) {
  const out = {};
  for (const inc of def.attributes.$include ?? []) {
    if (inc.startsWith('profiles/')) continue;
    Object.assign(out, ownAttributes(read(inc)));
  }
  for (const [k, v] of Object.entries(def.attributes)) if (k !== '$include') out[k] = { ...out[k], ...v };
  return out;
}

function chain(path) {
  const def = read(path);
  const parent = def.extends ? PARENTS[def.extends] : undefined;
  const attrs = parent ? chain(parent).attrs : {};
  for (const [k, v] of Object.entries(ownAttributes(def))) attrs[k] = { ...attrs[k], ...v };
  return { def, attrs };
}

function resolve(attrs) {
  const out = {};
  for (const [name, over] of Object.entries(attrs)) {
    const d = dictionary.attributes[name] ?? {};
    const enumIds = { ...(d.enum ?? {}), ...(over.enum ?? {}) };
    const entry = { requirement: over.requirement ?? d.requirement ?? 'optional', type: d.type ?? 'object_t' };
    if (d.object_type) entry.object = d.object_type;
    if (d.is_array) entry.is_array = true;
    if (Object.keys(enumIds).length) entry.enum = Object.keys(enumIds).map(Number).sort((a, b) => a - b);
    out[name] = entry;
  }
  return out;
}

const classes = {};
for (const [name, path] of Object.entries(CLASSES)) {
  const { def, attrs } = chain(path);
  const category = def.category ?? read(PARENTS[def.extends]).category;
  const categoryUid = categories[category]?.uid ?? 0;
  const uid = name === 'base_event' ? 0 : categoryUid * 1000 + def.uid;
  const attributes = resolve(attrs);
  // What the OCSF server fills in per class: its own uid, its category's, and type_uid = class_uid * 100 + activity_id.
  attributes.class_uid.enum = [uid];
  attributes.category_uid.enum = [categoryUid];
  attributes.type_uid.enum = attributes.activity_id.enum.map((id) => uid * 100 + id);
  classes[name] = { caption: def.caption, uid, category, category_uid: categoryUid, attributes, ...(def.constraints ? { constraints: def.constraints } : {}) };
}
const objects = {};
for (const name of OBJECTS) {
  const def = read(`objects/${name}.json`);
  let attrs = ownAttributes(def);
  if (def.extends && def.extends !== 'object') attrs = { ...ownAttributes(read(`objects/${def.extends}.json`)), ...attrs };
  objects[name] = { caption: def.caption, attributes: resolve(attrs), ...(def.constraints ? { constraints: def.constraints } : {}) };
}
const types = Object.fromEntries(Object.entries(dictionary.types.attributes).map(([k, v]) => [k, v.type ?? k]));
const out = {
  source: `https://github.com/ocsf/ocsf-schema at ${ref} (commit ${commit}), trimmed by test/unit/ocsf/trimSchema.mjs`,
  license: 'Apache-2.0 (Copyright The OCSF Authors; see the LICENSE and NOTICE of ocsf-schema)',
  version,
  types,
  classes,
  objects,
};
writeFileSync(join(dirname(fileURLToPath(import.meta.url)), `schema-${version}.json`), `${JSON.stringify(out, null, 1)}\n`);
console.log(`schema-${version}.json: ${Object.keys(classes).length} classes, ${Object.keys(objects).length} objects`);
