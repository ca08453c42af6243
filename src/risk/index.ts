export * from './errors.js';
export * from './countries.js';
export * from './activity.js';
export * from './bands.js';
export * from './model.js';
export * from './score.js';
export * from './jurisdiction.js';
export * from './zk-claim.js';
