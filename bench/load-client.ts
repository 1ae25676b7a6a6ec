/** The orchestrator's handle on the load-generator process (`load.ts`). */
import { type ChildProcess, spawn } from 'node:child_process';
import { compiledFile } from './compile.js';
import { LOAD_CORE, nodeCommand } from './cpu.js';
import type { LoadReply, Measurement, MeasureRequest } from './load-protocol.js';

export class LoadClient {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: LoadReply) => void>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: LoadReply) => {
      this.pending.get(reply.id)?.(reply);
      this.pending.delete(reply.id);
    });
    child.on('error', () => {
      // Reported through 'exit' or a failed measure().
    });
    child.on('exit', (code, signal) => {
      const error = `load generator exited with ${signal ?? `code ${code}`}`;
      for (const [id, settle] of this.pending) settle({ id, ok: false, error });
      this.pending.clear();
    });
  }

  static start(): LoadClient {
    const file = compiledFile('load');
    const { command, args, cwd } = nodeCommand(LOAD_CORE, file);
    const child = spawn(command, args, {
      cwd,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new LoadClient(child);
  }

  measure(request: Omit<MeasureRequest, 'id'>): Promise<Measurement> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (!this.child.connected) {
        reject(new Error('load generator is not running'));
        return;
      }
      this.pending.set(id, (reply) => {
        if (reply.ok) resolve(reply.measurement);
        else reject(new Error(reply.error));
      });
      this.child.send({ ...request, id });
    });
  }

  stop(): void {
    if (this.child.connected) this.child.disconnect();
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
  }
}
