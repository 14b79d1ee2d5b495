// A Runner for unit tests: answers each command from a script of rules and records what it was asked, touching nothing.
import { quoteArgv } from "../../provider/shell/quote";
import { RunResult, Runner } from "../../provider/transport/runner";

/** When a command (argv quoted as the shell would see it, or a script's text) matches, this answers it. */
export interface Rule {
  match: RegExp;
  answer: Partial<RunResult> | ((text: string) => Partial<RunResult>);
}

export class ScriptedRunner implements Runner {
  readonly target = "scripted";
  /** Every command and script asked, in order. */
  readonly asked: string[] = [];

  constructor(private readonly rules: Rule[]) {}

  /** Rules added later win: a test can change the host's answers part way. */
  on(match: RegExp, answer: Rule["answer"]): this {
    this.rules.unshift({ match, answer });
    return this;
  }

  run(argv: readonly string[]): Promise<RunResult> {
    return this.answer(quoteArgv(argv));
  }

  script(text: string): Promise<RunResult> {
    return this.answer(text);
  }

  private async answer(text: string): Promise<RunResult> {
    this.asked.push(text);
    const rule = this.rules.find((r) => r.match.test(text));
    if (!rule) throw new Error(`the scripted runner has no answer for: ${text}`);
    const a = typeof rule.answer === "function" ? rule.answer(text) : rule.answer;
    return { code: 0, stdout: "", stderr: "", ...a };
  }
}
