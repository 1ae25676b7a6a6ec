// A Nuxt 4 app whose pages are server routes (server/routes/) returning HTML;
// sessions come from tessera-session/h3's middleware (server/middleware/1.session.ts).
export default defineNuxtConfig({
  compatibilityDate: '2026-08-01',
  devtools: { enabled: false },
  telemetry: false,
});
