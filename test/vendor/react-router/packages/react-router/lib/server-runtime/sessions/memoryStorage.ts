// Shim: the vendored tests' import of React Router's memory storage, mapped to Tessera (see ../../../../../tessera-shim.ts).
export { createMemorySessionStorage } from '../../../../../tessera-shim.js';
