// Packages that ship no type declarations. Typed loosely on purpose: they are used in tests and
// benchmarks as reference implementations, or behind a typed wrapper of ours.
declare module 'circomlibjs';
declare module 'snarkjs';
declare module 'circom_runtime';
declare module 'circom2';
