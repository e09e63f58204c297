// The schemas of schemas/ as components of the OpenAPI document: each under its title, its $defs as their own
// components, refs rewritten to point at them.
import type { JsonObject } from './types';

const COMPONENT_NAME = /^[A-Za-z0-9._-]+$/;

/**
 * Puts each schema under components.schemas, keyed by its title. Its `$defs` become their own components
 * (`<Title>_<def>`) and its internal `#/$defs/…` refs are rewritten to point at them; `$id` and `$schema` are
 * dropped (the document's dialect is JSON Schema 2020-12, and a `$id` would change how refs resolve).
 */
export class SchemaRegistry {
  readonly components: Record<string, JsonObject> = {};
  private readonly byFile = new Map<string, string>();

  constructor(private readonly load: (name: string) => JsonObject) {}

  /** A `$ref` object to the embedded schema of schemas/<file>.schema.json. */
  ref(file: string, usedBy: string): { $ref: string } {
    let key = this.byFile.get(file);
    if (key === undefined) {
      const schema = this.load(file);
      if (!schema || typeof schema !== 'object') throw new Error(`OpenAPI: schemas/${file}.schema.json (${usedBy}) is not a JSON object`);
      const title = schema.title;
      if (typeof title !== 'string' || !COMPONENT_NAME.test(title)) {
        throw new Error(`OpenAPI: schemas/${file}.schema.json (${usedBy}) needs a title made of letters, digits, '.', '_' or '-'`);
      }
      if (this.components[title]) throw new Error(`OpenAPI: two schemas have the title ${title} (schemas/${file}.schema.json and another)`);
      key = title;
      this.byFile.set(file, key); // before embedding, so schemas that refer to each other terminate
      if (schema.$id !== undefined && schema.$id !== file) {
        throw new Error(`OpenAPI: schemas/${file}.schema.json has $id ${String(schema.$id)}; it must be its file name (${file})`);
      }
      const { $id: _id, $schema: _dialect, $defs, ...rest } = schema;
      const defs = ($defs ?? {}) as Record<string, JsonObject>;
      const rewrite = (node: unknown, where: string): unknown => {
        if (Array.isArray(node)) return node.map((n, i) => rewrite(n, `${where}/${i}`));
        if (node === null || typeof node !== 'object') return node;
        const out: JsonObject = {};
        for (const [k, v] of Object.entries(node)) {
          if (k === '$ref') {
            const local = typeof v === 'string' ? /^#\/\$defs\/([^/]+)$/.exec(v) : null;
            const other = typeof v === 'string' ? /^([a-z0-9-]+)$/.exec(v) : null;
            if (local && Object.hasOwn(defs, local[1] as string)) out.$ref = `#/components/schemas/${title}_${local[1]}`;
            else if (other) out.$ref = this.ref(other[1] as string, `$ref in schemas/${file}.schema.json`).$ref;
            else {
              throw new Error(
                `OpenAPI: schemas/${file}.schema.json has a $ref the document cannot hold at ${where}: ${String(v)} (use #/$defs/<name> of the same file, or another schema's $id, its file name)`,
              );
            }
          } else if (k === '$defs' || k === '$id' || k === '$anchor' || k === '$dynamicRef' || k === '$dynamicAnchor') {
            throw new Error(`OpenAPI: schemas/${file}.schema.json uses ${k} at ${where}; keep $defs at the top level`);
          } else if (k === 'properties' || k === 'patternProperties') {
            // Property names are data, not keywords: copy the names, rewrite the schemas under them.
            out[k] = Object.fromEntries(Object.entries(v as JsonObject).map(([name, s]) => [name, rewrite(s, `${where}/${k}/${name}`)]));
          } else {
            out[k] = rewrite(v, `${where}/${k}`);
          }
        }
        return out;
      };
      this.components[title] = rewrite(rest, '#') as JsonObject;
      for (const [name, def] of Object.entries(defs)) {
        const defKey = `${title}_${name}`;
        if (!COMPONENT_NAME.test(defKey)) throw new Error(`OpenAPI: schemas/${file}.schema.json has a $defs name the document cannot use: ${name}`);
        this.components[defKey] = rewrite(def, `#/$defs/${name}`) as JsonObject;
      }
    }
    return { $ref: `#/components/schemas/${key}` };
  }

  title(file: string): string {
    return this.byFile.get(file) as string;
  }

  /** The schema's first top-level example, shown as the request body's example. */
  example(file: string): unknown {
    const examples = this.components[this.title(file)]?.examples;
    return Array.isArray(examples) ? examples[0] : undefined;
  }
}
