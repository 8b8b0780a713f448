import { writeFileSync } from 'node:fs';

/**
 * Loaded with `node --import` into a process whose peak memory the benchmark wants (the CLI):
 * at exit, writes the process's resource usage as JSON to $BENCH_RESOURCE_FILE.
 */
const file = process.env['BENCH_RESOURCE_FILE'];
if (file) process.on('exit', () => writeFileSync(file, JSON.stringify(process.resourceUsage())));
