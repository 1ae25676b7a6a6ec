import type { SessionManager, SessionOptions } from '../../../src/core/index.js';
import type { RunningServer } from '../../helpers/listen.js';

/** A running tiny app and the session manager its adapter created. */
export interface RunningTinyApp extends RunningServer {
  manager: SessionManager;
}

/** Optional wiring a scenario asks for; off by default so other scenarios see the bare adapter. */
export interface TinyAppFeatures {
  /**
   * Mount the adapter's CSRF check (after a urlencoded form parser), as an
   * application following the adapter's docs would.
   */
  csrf?: boolean;
  /**
   * Mount the adapter's Fetch Metadata check on every route, before the
   * session is loaded (the routes include state-changing GETs such as `/flush`).
   */
  fetchMetadata?: boolean;
}

/**
 * The tiny app of one adapter: serves {@link ROUTES} on a free loopback port.
 * A new adapter joins the adapter conformance suite by adding one of these.
 */
export interface TinyApp {
  name: string;
  /** The app writes through a node:http `ServerResponse` (writeHead/stream scenarios apply). */
  nodeResponse: boolean;
  start(options: SessionOptions, features?: TinyAppFeatures): Promise<RunningTinyApp>;
}
