// Run in a fresh `node` process by bench/cold-init.ts: imports one bundle and prints, as JSON, how long the import
// took (wall clock, and CPU time of the whole process, all threads), and when (since the process started,
// performance's time origin) the handler became available.
const cpuBefore = process.cpuUsage();
const started = performance.now();
const module = await import(process.argv[2]);
const ready = performance.now();
const cpu = process.cpuUsage(cpuBefore);
if (typeof module.handler !== 'function') throw new Error(`${process.argv[2]} exports no handler function`);
process.stdout.write(JSON.stringify({ importMs: ready - started, importCpuMs: (cpu.user + cpu.system) / 1000, readyMs: ready }));
