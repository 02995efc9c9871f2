// Test only: a LanguageModelChatProvider (vscode.lm.registerLanguageModelChatProvider, stable
// since 1.104) with three models — "echo" answers deterministically (a critique, a rationale
// that reaches the gold answer the prompt names, a review score), "blocked" refuses every
// request as a blocked one, "slow" answers after a pause (for cancellation). No network.
const vscode = require('vscode');

const MODELS = ['echo', 'blocked', 'slow'].map((family) => ({
  id: `test-${family}`,
  name: `Test ${family}`,
  family,
  version: '1',
  maxInputTokens: 100000,
  maxOutputTokens: 4096,
  capabilities: {},
}));

function textOf(messages) {
  return messages.map((m) => m.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('')).join('\n');
}

function answer(prompt) {
  if (/score/i.test(prompt) && /\[1-5\]|1 to 5|1–5|1-5/.test(prompt)) return 'The work is sound. Score: [4]';
  const gold = /correct answer (?:should be|is) ([^.\n]+)/i.exec(prompt);
  if (gold) return `The student slipped in one step. The correct answer is ${gold[1]}.`;
  const numbers = prompt.match(/\d+(?:\.\d+)?/g) ?? ['0'];
  return `Step by step: the numbers are ${numbers.slice(0, 3).join(', ')}. The answer is ${numbers[0]}.`;
}

exports.activate = (context) => {
  context.subscriptions.push(
    vscode.lm.registerLanguageModelChatProvider('mapd-test', {
      provideLanguageModelChatInformation: () => MODELS,
      async provideLanguageModelChatResponse(model, messages, _options, progress, token) {
        if (model.family === 'blocked') throw vscode.LanguageModelError.Blocked('test: blocked by quota');
        if (model.family === 'slow') {
          await new Promise((resolve) => {
            const timer = setTimeout(resolve, 5000);
            token.onCancellationRequested(() => {
              clearTimeout(timer);
              resolve();
            });
          });
          if (token.isCancellationRequested) throw new vscode.CancellationError();
        }
        const text = answer(textOf(messages));
        // Two parts, as a streaming model sends them.
        progress.report(new vscode.LanguageModelTextPart(text.slice(0, 10)));
        progress.report(new vscode.LanguageModelTextPart(text.slice(10)));
      },
      provideTokenCount: (_model, text) => Math.ceil((typeof text === 'string' ? text : textOf([text])).length / 4),
    }),
  );
};
