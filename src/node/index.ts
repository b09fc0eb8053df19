export {
  createRequestListener,
  type PlainHandler,
  type RequestHandler,
  type RunningServer,
  type ServeOptions,
  serve,
} from './serve.js';
