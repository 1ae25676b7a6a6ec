import type { ReactNode } from 'react';

export const metadata = { title: 'Tessera on Next.js' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <nav>
          <a href="/">Home</a> · <a href="/visits">Count a visit</a> · <a href="/cart">Cart</a> ·{' '}
          <a href="/account">Account</a> · <a href="/login">Log in</a>
        </nav>
        <main>{children}</main>
      </body>
    </html>
  );
}
