export { JobQueue, LeaseLostError, type Job, type JobHandler, type JobQueueOptions } from './queue.js';
export type { JobRow, JobStatus, EnqueueOptions } from '../db/index.js';
