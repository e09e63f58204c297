// What each figure hands back to bench/run.ts: a table, the bars it checked, and short notes.

export interface BarCheck {
  /** What was checked, e.g. "createCustomer bundle ≤ 500 KB". */
  name: string;
  pass: boolean;
  /** The measured value the check used. */
  measured: string;
}

export interface FigureResult {
  title: string;
  /** One sentence: what the figure measures and how. */
  method: string;
  columns: string[];
  rows: string[][];
  checks: BarCheck[];
  notes?: string[];
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export const markdownTable = (columns: string[], rows: string[][]): string =>
  [
    `| ${columns.map(cell).join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');

export const figureMarkdown = (f: FigureResult): string =>
  [`### ${f.title}`, '', f.method, '', markdownTable(f.columns, f.rows), ...(f.notes?.length ? ['', ...f.notes.map((n) => `- ${n}`)] : [])].join(
    '\n',
  );

export const verdict = (pass: boolean): string => (pass ? 'pass' : 'FAIL');
