// Spectral's spectral:oas ruleset (.spectral.yaml) finds nothing in the generated OpenAPI document: no error,
// warning, info or hint. The CLI runs in its own process (as for swagger-parser in openapi.test.ts) on the
// document as the generator builds it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOpenApi, type OpenApiDocument } from '../../scripts/openapi';

const ROOT = join(__dirname, '..', '..');
const RULESET = join(ROOT, '.spectral.yaml');
const CLI = require.resolve('@stoplight/spectral-cli/dist/index.js');

interface Finding {
  code: string;
  message: string;
  path: string[];
  severity: number;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'spectral-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every finding of the ruleset in a document, at any severity (0 error … 3 hint). */
const lint = (document: unknown, name = 'openapi.json'): Finding[] => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(document, null, 2));
  const run = spawnSync(process.execPath, [CLI, 'lint', file, '--ruleset', RULESET, '--format', 'json', '--fail-severity', 'hint', '--quiet'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.error) throw run.error;
  let findings: Finding[];
  try {
    findings = JSON.parse(run.stdout) as Finding[];
  } catch {
    throw new Error(`Spectral printed no JSON (exit ${String(run.status)}): ${run.stdout}${run.stderr}`);
  }
  // The exit status agrees with the findings: 1 with any, 0 with none.
  expect({ status: run.status, findings: findings.length > 0 }).toEqual({ status: findings.length > 0 ? 1 : 0, findings: findings.length > 0 });
  return findings;
};

const summary = (findings: Finding[]): string[] => findings.map((f) => `${f.code} (severity ${f.severity}) at ${f.path.join('.')}: ${f.message}`);

test('the ruleset is spectral:oas; a rule turned off says why', () => {
  const text = readFileSync(RULESET, 'utf8');
  expect(text).toMatch(/^extends: \["spectral:oas"\]$/m);
  // A rule turned off must say why on the line above it.
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (/:\s*(off|false)\s*$/.test(line)) expect({ line, reason: lines[i - 1]?.trim().startsWith('#') }).toEqual({ line, reason: true });
  });
});

test('spectral:oas finds nothing in the generated document, at any severity', () => {
  expect(summary(lint(buildOpenApi()))).toEqual([]);
});

test('the lint is real: a document with known defects gets exactly those findings', () => {
  const broken = structuredClone(buildOpenApi()) as OpenApiDocument;
  delete broken.info.contact;
  const root = broken.paths['/obp/v5.1.0/root']?.get as Record<string, unknown>;
  root.tags = ['NoSuchTag'];
  delete root.description;
  broken.components.schemas.NeverUsed = { type: 'object' };
  const codes = lint(broken, 'broken.json').map((f) => f.code);
  expect(codes.sort()).toEqual(['info-contact', 'oas3-unused-component', 'operation-description', 'operation-tag-defined']);
});
