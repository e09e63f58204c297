// Child processes of the benchmark: run-to-completion commands, and long-lived TypeScript workers spoken to over IPC.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..');

/** Runs a command to completion; rejects with its output when it fails. */
export const run = (command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? code}):\n${output.slice(-4000)}`)),
    );
  });

const live = new Set<ChildProcess>();

/** Kills every worker still running (on exit and on Ctrl-C). */
export const killWorkers = (): void => {
  for (const child of live) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  live.clear();
};

/**
 * A TypeScript module in its own Node process (tsx, with the `import` condition for the ESM-only middy and jose,
 * unless `importCondition` is false). Its stdout is discarded (handlers log there); it answers `request()` over IPC
 * with `{ id, result | error }`.
 */
export class Worker {
  private readonly child: ChildProcess;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private stderr = '';

  constructor(file: string, env: NodeJS.ProcessEnv, options: { importCondition?: boolean } = {}) {
    const conditions = options.importCondition === false ? [] : ['--conditions=import'];
    this.child = spawn(process.execPath, ['--import', 'tsx', ...conditions, join(ROOT, file)], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    live.add(this.child);
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
    this.child.on('message', (message: { id: number; result?: unknown; error?: string }) => {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.error !== undefined) waiting.reject(new Error(`${file}: ${message.error}`));
      else waiting.resolve(message.result);
    });
    this.child.once('exit', (code, signal) => {
      live.delete(this.child);
      for (const { reject } of this.pending.values()) reject(new Error(`${file} exited (${signal ?? code}):\n${this.stderr}`));
      this.pending.clear();
    });
  }

  request<T>(command: string, args: unknown = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, command, args });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}

/** The worker side of `Worker`: answers each request with the named command's result. */
export const serveRequests = (commands: Record<string, (args: any) => Promise<unknown>>): void => {
  process.on('message', (message: { id: number; command: string; args: unknown }) => {
    const command = commands[message.command];
    const reply = (body: { result?: unknown; error?: string }) => process.send?.({ id: message.id, ...body });
    if (!command) return reply({ error: `unknown command ${message.command}` });
    command(message.args).then(
      (result) => reply({ result: result ?? null }),
      (error: Error) => reply({ error: error.stack ?? String(error) }),
    );
  });
  // The parent going away ends the worker.
  process.on('disconnect', () => process.exit(0));
};
