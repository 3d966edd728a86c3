/** Writing a long response piece by piece, waiting whenever the client reads slower than we write. */
import { once } from 'node:events';
import type { Response } from 'express';

export async function writeChunk(res: Response, chunk: string): Promise<void> {
  if (chunk === '' || res.destroyed) return;
  if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
}
