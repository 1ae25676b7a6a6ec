// Express 4 is installed under the alias "express4" to test the adapter on both majors.
// Until its types are installed too (an "@types/express4" alias of @types/express@4, which
// then replaces this file), "express4" borrows Express 5's types, named ones included.
declare module 'express4' {
  import express = require('express');
  export = express;
}
