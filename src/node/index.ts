export { createRequestGuard, type RequestGuard, type RequestGuardOptions } from './hosts.js';
export {
  createRequestListener,
  type PlainHandler,
  type RequestHandler,
  type RunningServer,
  type ServeOptions,
  serve,
} from './serve.js';
