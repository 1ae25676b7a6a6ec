import type { SessionManager, SessionOptions } from '../../../src/core/index.js';
import type { RunningServer } from '../../helpers/listen.js';

/** A running tiny app and the session manager its adapter created. */
export interface RunningTinyApp extends RunningServer {
  manager: SessionManager;
}

/**
 * The tiny app of one adapter: serves {@link ROUTES} on a free loopback port.
 * A new adapter joins the adapter conformance suite by adding one of these.
 */
export interface TinyApp {
  name: string;
  /** The app writes through a node:http `ServerResponse` (writeHead/stream scenarios apply). */
  nodeResponse: boolean;
  start(options: SessionOptions): Promise<RunningTinyApp>;
}
