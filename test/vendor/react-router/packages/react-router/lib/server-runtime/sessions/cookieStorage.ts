// Shim: the vendored tests' import of React Router's cookie storage, mapped to Tessera (see ../../../../../tessera-shim.ts).
export { createCookieSessionStorage } from '../../../../../tessera-shim.js';
