// `express4` is Express 4 installed under an alias, without types of its own: the tests use only
// what Express 4 and 5 share (express(), json(), app.post, app.use), typed by @types/express.
declare module 'express4' {
  import express from 'express';
  export default express;
}
