import type { Config } from '@react-router/dev/config';

// Server rendering: loaders and actions run on the server, where the sessions are.
export default { ssr: true } satisfies Config;
