// Batches requests that arrive together: one run per turn of the event loop, one run in flight, later arrivals wait for the next.

/** Collects requests and hands each batch to `run`; a request is only ever served by a run that started after it. */
export class Batcher<R> {
  private queue: R[] = [];
  private busy = false;

  /** @param linger how long a batch waits for more requests before it runs, in ms (0: one turn of the event loop) */
  constructor(
    private readonly run: (batch: R[]) => Promise<void>,
    private readonly linger: () => number = () => 0,
  ) {}

  add(request: R): void {
    this.queue.push(request);
    if (!this.busy) this.schedule();
  }

  private schedule(): void {
    this.busy = true;
    // One turn of the event loop lets requests issued together join the same batch; lingering lets later ones join.
    const ms = this.linger();
    if (ms > 0) setTimeout(() => void this.flush(), ms);
    else setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    await this.run(batch);
    if (this.queue.length) this.schedule();
    else this.busy = false;
  }
}

type Waiter<K, V> = { key: K; resolve: (v: V) => void; reject: (e: unknown) => void };

/** Shares one fetch among reads that arrive together: each distinct key is fetched once per batch. */
export class Coalescer<K, V> {
  private readonly batcher = new Batcher<Waiter<K, V>>(async (batch) => {
    try {
      const got = await this.fetch([...new Set(batch.map((w) => w.key))]);
      for (const w of batch) w.resolve(got.get(w.key) as V);
    } catch (e) {
      for (const w of batch) w.reject(e);
    }
  });

  constructor(private readonly fetch: (keys: K[]) => Promise<Map<K, V>>) {}

  get(key: K): Promise<V> {
    return new Promise((resolve, reject) => this.batcher.add({ key, resolve, reject }));
  }
}
