/**
 * Gathers the calls made in one turn of the event loop into one request: calls made together
 * (as Promise.all makes them) cost one round trip to the cluster instead of one each.
 */
interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export function batched<T, R>(send: (items: T[]) => Promise<(R | Error)[]>): (item: T) => Promise<R> {
  let queue: Waiting<T, R>[] | undefined;
  const flush = (entries: Waiting<T, R>[]): void => {
    send(entries.map((e) => e.item)).then(
      (results) =>
        entries.forEach((e, i) => {
          const result = results[i];
          if (result === undefined) e.reject(new Error('no answer for a batched request'));
          else if (result instanceof Error) e.reject(result);
          else e.resolve(result);
        }),
      (error: unknown) => entries.forEach((e) => e.reject(error)),
    );
  };
  return (item) =>
    new Promise<R>((resolve, reject) => {
      if (!queue) {
        const entries: Waiting<T, R>[] = [];
        queue = entries;
        queueMicrotask(() => {
          queue = undefined;
          flush(entries);
        });
      }
      queue.push({ item, resolve, reject });
    });
}
