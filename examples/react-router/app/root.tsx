import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
} from 'react-router';
import type { Route } from './+types/root';

export function Layout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Tessera on React Router</title>
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

/** Refusals (400 test cookie, 403 CSRF, 503 store outage) are thrown Responses: shown here with their status. */
export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const [title, detail] = isRouteErrorResponse(error)
    ? [`${error.status} ${error.statusText}`, String(error.data)]
    : ['Error', 'Something went wrong.'];
  return (
    <main>
      <h1>{title}</h1>
      <p id="error">{detail}</p>
      <a href="/">Home</a>
    </main>
  );
}
