import { Module } from '@nestjs/common';
import { TesseraSessionModule } from 'tessera-session/nestjs';
import { createSqliteStore } from 'tessera-session/stores/sqlite';
import { AuthController } from './auth.controller';
import { CartController } from './cart.controller';
import { CounterController } from './counter.controller';

@Module({
  imports: [
    TesseraSessionModule.forRoot({
      store: createSqliteStore({ path: process.env.SESSION_DB ?? '.data/sessions.sqlite' }),
      csrf: true, // every POST needs the session's token (CsrfGuard)
    }),
  ],
  controllers: [CounterController, CartController, AuthController],
})
export class AppModule {}
