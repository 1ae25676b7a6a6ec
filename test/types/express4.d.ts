// Express 4 is installed under the alias "express4" to test the adapter on both majors;
// its API surface used in tests is the same as Express 5's.
declare module 'express4' {
  import express from 'express';
  export default express;
}
