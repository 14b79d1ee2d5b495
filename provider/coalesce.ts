// Shares one fetch among requests that arrive together; every request is served by a fetch that started after it.

type Waiter<V> = { resolve: (v: V) => void; reject: (e: unknown) => void };

export class Coalescer<K, V> {
  private queue = new Map<K, Array<Waiter<V>>>();
  private busy = false;

  constructor(private readonly fetch: (keys: K[]) => Promise<Map<K, V>>) {}

  get(key: K): Promise<V> {
    return new Promise((resolve, reject) => {
      const waiters = this.queue.get(key) ?? [];
      waiters.push({ resolve, reject });
      this.queue.set(key, waiters);
      if (!this.busy) this.schedule();
    });
  }

  private schedule(): void {
    this.busy = true;
    // One turn of the event loop lets requests issued together join the same batch.
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = new Map();
    try {
      const got = await this.fetch([...batch.keys()]);
      for (const [k, waiters] of batch) for (const w of waiters) w.resolve(got.get(k) as V);
    } catch (e) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(e);
    }
    if (this.queue.size) this.schedule();
    else this.busy = false;
  }
}
