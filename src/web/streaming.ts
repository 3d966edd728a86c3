/** Writing a long response piece by piece, waiting whenever the client reads slower than we write. */
import type { Response } from 'express';

export async function writeChunk(res: Response, chunk: string): Promise<void> {
  if (chunk === '' || res.destroyed) return;
  if (res.write(chunk)) return;
  await new Promise<void>((resolve) => {
    // Both listeners go once either fires: a long export must not pile up listeners.
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
