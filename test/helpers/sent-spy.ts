// Records what a live runner sends to its host (argv joined by spaces, scripts as they are), for e2e tests that check
// which commands an operation ran; the runner still runs everything.
import { Runner } from "../../provider/transport/runner";

export interface SentSpy {
  /** Everything sent since the spy began or since the caller last emptied it. */
  sent: string[];
  /** The scripts among them sent to run in the session's shell itself (Runner.script's `inSession`). */
  inSession: string[];
  /** Removes the spy: its methods were own properties over the class's, so the runner is exactly as before. */
  stop(): void;
}

export function spyOnSent(runner: Runner): SentSpy {
  const sent: string[] = [];
  const inSession: string[] = [];
  const [run, script] = [runner.run.bind(runner), runner.script.bind(runner)];
  const spied = runner as { run: Runner["run"]; script: Runner["script"] };
  spied.run = (argv) => (sent.push(argv.join(" ")), run(argv));
  spied.script = (text, own) => {
    sent.push(text);
    if (own) inSession.push(text);
    return script(text, own);
  };
  return {
    sent,
    inSession,
    stop() {
      delete (spied as { run?: unknown }).run;
      delete (spied as { script?: unknown }).script;
    },
  };
}
