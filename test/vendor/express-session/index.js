// Shim: express-session's test suite require('../') gets the drop-in (built from source through tsx).
module.exports = require('../../../src/express-session/index.ts');
