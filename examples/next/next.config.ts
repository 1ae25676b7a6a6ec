import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Tessera's SQLite store uses node:sqlite: load the package from node_modules
  // at run time instead of bundling it.
  serverExternalPackages: ['tessera-session'],
  // forbidden() answers a Server Action's failed CSRF check with a 403.
  experimental: { authInterrupts: true },
};

export default nextConfig;
