// Entry of a worker thread whose code is TypeScript: on Node 20 the tsx loader that runs the benchmarks does not
// reach worker threads, so the worker loads tsx itself and then its module (workerData.entry, a file URL).
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.entry, import.meta.url);
