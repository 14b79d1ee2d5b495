// The switch's CPU around a verb that adds ports: how much of its work for them falls after the verb has returned.
import { cpuByProcess } from "./cpu";

/** The switch's process name, as /proc and the benchmark's CPU lines give it. */
export const SWITCH = "ovs-vswitchd";

/** CPU seconds used so far by every ovs-vswitchd on the machine (this machine's and the lab hosts'). */
export function switchCpu(): number {
  let sum = 0;
  for (const p of cpuByProcess().values()) if (p.name === SWITCH) sum += p.seconds;
  return sum;
}

/** How often the wait below samples the switch, and over how many samples it judges it idle. */
const SAMPLE_MS = 250;
const WINDOW = 4;
/** Idle: under a tenth of a core over the last second; a switch with a thousand ports never quite stops. */
const IDLE_SHARE = 0.1;

/** True when the cumulative CPU samples, taken every `intervalS`, end with `window` intervals under `share` of a core. */
export function idle(samples: readonly number[], intervalS: number, window = WINDOW, share = IDLE_SHARE): boolean {
  if (samples.length <= window) return false;
  const used = samples[samples.length - 1] - samples[samples.length - 1 - window];
  return used < share * window * intervalS;
}

/**
 * Waits until the switch is idle, at most `maxS`: the CPU seconds it used meanwhile, and the seconds until the idle
 * second began.
 */
export async function untilSwitchIdle(maxS = 30): Promise<{ cpu: number; seconds: number }> {
  const started = Date.now();
  const samples = [switchCpu()];
  while (!idle(samples, SAMPLE_MS / 1000) && Date.now() - started < maxS * 1000) {
    await new Promise((r) => setTimeout(r, SAMPLE_MS));
    samples.push(switchCpu());
  }
  const waited = (Date.now() - started) / 1000;
  return { cpu: samples[samples.length - 1] - samples[0], seconds: Math.max(0, waited - (WINDOW * SAMPLE_MS) / 1000) };
}
