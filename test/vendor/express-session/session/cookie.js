// Shim: express-session's test suite require('../session/cookie') gets the drop-in's Cookie.
module.exports = require('../../../../src/express-session/index.ts').Cookie;
