// A small validator of OCSF events against the trimmed official schema (schema-1.1.0.json, made
// by trimSchema.mjs from github.com/ocsf/ocsf-schema, Apache-2.0): the class named by class_uid;
// every required attribute present; no attribute the class or object does not define; each
// value of its dictionary type (arrays where is_array); enum values (activity_id, class_uid,
// category_uid, type_uid, severity_id, status_id, type_id, ...) among the schema's; objects
// checked recursively, with their at_least_one / just_one constraints.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface AttributeDef {
  requirement: 'required' | 'recommended' | 'optional';
  type: string;
  object?: string;
  is_array?: boolean;
  enum?: number[];
}
interface Shape {
  caption: string;
  attributes: Record<string, AttributeDef>;
  constraints?: { at_least_one?: string[]; just_one?: string[] };
}
interface ClassDef extends Shape {
  uid: number;
  category_uid: number;
}
export interface OcsfSchema {
  source: string;
  license: string;
  version: string;
  types: Record<string, string>;
  classes: Record<string, ClassDef>;
  objects: Record<string, Shape>;
}

export function loadSchema(): OcsfSchema {
  return JSON.parse(readFileSync(join(__dirname, 'schema-1.1.0.json'), 'utf8')) as OcsfSchema;
}

/** Problems of one event ("path: what"), empty when it validates. */
export function validateOcsf(schema: OcsfSchema, event: Record<string, unknown>): string[] {
  const cls = Object.values(schema.classes).find((c) => c.uid === event.class_uid);
  if (!cls) return [`class_uid ${String(event.class_uid)} is not a class of the schema copy`];
  const problems: string[] = [];
  // The class's own constraints too (Authorize Session: exactly one of privileges / group).
  checkShape(schema, cls, event, '', problems);
  return problems;
}

function checkShape(schema: OcsfSchema, shape: Shape, value: Record<string, unknown>, path: string, problems: string[]): void {
  for (const [name, def] of Object.entries(shape.attributes)) {
    if (def.requirement === 'required' && (value[name] === undefined || value[name] === null)) problems.push(`${path}${name}: required by ${shape.caption}`);
  }
  for (const [name, v] of Object.entries(value)) {
    const def = shape.attributes[name];
    if (!def) {
      problems.push(`${path}${name}: not an attribute of ${shape.caption}`);
      continue;
    }
    if (def.is_array) {
      if (!Array.isArray(v)) problems.push(`${path}${name}: must be an array`);
      else v.forEach((item, i) => checkValue(schema, def, item, `${path}${name}[${i}]`, problems));
    } else checkValue(schema, def, v, `${path}${name}`, problems);
  }
  const c = shape.constraints;
  if (c?.at_least_one && !c.at_least_one.some((k) => value[k] !== undefined)) problems.push(`${path || '(event)'}: needs at least one of ${c.at_least_one.join(', ')}`);
  if (c?.just_one && c.just_one.filter((k) => value[k] !== undefined).length !== 1) problems.push(`${path || '(event)'}: needs exactly one of ${c.just_one.join(', ')}`);
}

function checkValue(schema: OcsfSchema, def: AttributeDef, v: unknown, path: string, problems: string[]): void {
  const base = schema.types[def.type] ?? def.type;
  const ok = (() => {
    switch (base) {
      case 'string_t': return typeof v === 'string';
      case 'integer_t':
      case 'long_t': return typeof v === 'number' && Number.isInteger(v);
      case 'float_t': return typeof v === 'number';
      case 'boolean_t': return typeof v === 'boolean';
      case 'json_t': return v !== undefined;
      default: return v !== null && typeof v === 'object' && !Array.isArray(v);
    }
  })();
  if (!ok) {
    problems.push(`${path}: must be ${def.type}`);
    return;
  }
  if (def.enum && !def.enum.includes(v as number)) problems.push(`${path}: ${String(v)} is not one of ${def.enum.join(', ')}`);
  if (!schema.types[def.type]) {
    // An object type: the generic "object" takes anything; a named object must be in the copy.
    if (def.type === 'object') return;
    const shape = schema.objects[def.type];
    if (!shape) problems.push(`${path}: object ${def.type} is not in the schema copy`);
    else checkShape(schema, shape, v as Record<string, unknown>, `${path}.`, problems);
  }
}
