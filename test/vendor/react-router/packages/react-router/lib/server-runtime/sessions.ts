// Shim: the vendored tests' import of React Router's sessions module, mapped to Tessera (see ../../../../tessera-shim.ts).
export { createSession, isSession } from '../../../../tessera-shim.js';
