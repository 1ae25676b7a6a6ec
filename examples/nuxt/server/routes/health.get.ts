// Readiness probe: touches no session (no cookie, no store I/O).
export default defineEventHandler(() => 'ok');
