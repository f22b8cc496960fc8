// Worker-thread entry that loads a TypeScript module through tsx (a worker does not inherit the
// parent's loader hooks): new Worker(thisFile, { workerData: { module: fileUrl } }).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
