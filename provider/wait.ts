// Waiting for the kernel: teardown can finish after the command that asked for it.

/** Polls until `gone` says the object has really left the kernel (teardown can be asynchronous). */
export async function waitUntil(what: string, gone: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    if (await gone()) return;
    if (Date.now() > deadline) throw new Error(`${what} was still there after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, delay));
  }
}
