export { createRequestListener, type RequestHandler, type RunningServer, type ServeOptions, serve } from './serve.js';
