import { UserError } from './errors.ts';
import type { Problem } from './model.ts';

/**
 * Every prompt MAPD sends, each a template with named slots ({{slot}}). Users override any
 * template (system, user or both) in settings (mapd.prompts) or the CLI config ("prompts");
 * an override may use only its template's slots, so a typo fails at load, not mid-run.
 */
export type PromptName = 'critique' | 'rationale' | 'reviewRationale' | 'reviewCritique' | 'exam';
export const PROMPT_NAMES: readonly PromptName[] = ['critique', 'rationale', 'reviewRationale', 'reviewCritique', 'exam'];

export interface PromptTemplate {
  system: string;
  user: string;
}

export type PromptOverrides = Partial<Record<PromptName, Partial<PromptTemplate>>>;

export const PROMPT_SLOTS: Record<PromptName, readonly string[]> = {
  critique: ['question', 'student_answer', 'gold_answer'],
  rationale: ['question'],
  reviewRationale: ['question', 'gold_answer', 'rationale', 'scale_min', 'scale_max'],
  reviewCritique: ['question', 'student_answer', 'gold_answer', 'critique', 'scale_min', 'scale_max'],
  exam: ['question'],
};

export const DEFAULT_PROMPTS: Record<PromptName, PromptTemplate> = {
  critique: {
    system:
      "You are a patient teacher. A student answered a question wrongly. Point out the student's mistakes, explain how to correct them, and do not simply restate the full solution.",
    user: "Question:\n{{question}}\n\nThe student's answer:\n{{student_answer}}\n\nHint: the correct answer is {{gold_answer}}.\n\nExplain the student's mistakes and how to fix them.",
  },
  rationale: {
    system: 'You are an expert problem solver. Answer the question step by step.',
    user: 'Question:\n{{question}}\n\nThink step by step, then finish with a final line of the form "The answer is X."',
  },
  reviewRationale: {
    system: 'You are a strict reviewer of step-by-step solutions.',
    user: 'Question:\n{{question}}\n\nThe correct answer is {{gold_answer}}.\n\nA solution to review:\n{{rationale}}\n\nRate how correct and helpful this solution is on a scale from {{scale_min}} to {{scale_max}}. Give a short reason, then end with "Score: N".',
  },
  reviewCritique: {
    system: 'You are a strict reviewer of feedback given to students.',
    user: 'Question:\n{{question}}\n\nThe student\'s answer:\n{{student_answer}}\n\nThe correct answer is {{gold_answer}}.\n\nFeedback to review:\n{{critique}}\n\nRate how accurately this feedback identifies and corrects the student\'s mistakes on a scale from {{scale_min}} to {{scale_max}}. Give a short reason, then end with "Score: N".',
  },
  exam: {
    system: 'Answer the question. Think step by step, then finish with a final line of the form "The answer is X."',
    user: '{{question}}',
  },
};

const SLOT = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks user overrides: known prompt names, string parts, known slots only. */
export function validatePromptOverrides(value: unknown, where: string): PromptOverrides {
  if (value === undefined || value === null) return {};
  if (!isObject(value))
    throw new UserError('must be an object of prompt templates', { where, next: `Write {"critique": {"user": "…"}}; prompts: ${PROMPT_NAMES.join(', ')}` });
  const overrides: PromptOverrides = {};
  for (const [name, template] of Object.entries(value)) {
    if (!PROMPT_NAMES.includes(name as PromptName)) throw new UserError(`unknown prompt "${name}"`, { where, next: `Use one of ${PROMPT_NAMES.join(', ')}` });
    if (!isObject(template))
      throw new UserError('must be {"system": "…", "user": "…"}', { where: `${where}.${name}`, next: 'Give the parts to replace as text' });
    const parts: Partial<PromptTemplate> = {};
    for (const [part, text] of Object.entries(template)) {
      if (part !== 'system' && part !== 'user')
        throw new UserError(`unknown part "${part}"`, { where: `${where}.${name}`, next: 'A prompt has a "system" and a "user" part' });
      if (typeof text !== 'string') throw new UserError('must be text', { where: `${where}.${name}.${part}`, next: 'Write the template as a string' });
      for (const match of text.matchAll(SLOT)) {
        const slot = match[1] as string;
        if (!PROMPT_SLOTS[name as PromptName].includes(slot)) {
          throw new UserError(`unknown slot {{${slot}}}`, {
            where: `${where}.${name}.${part}`,
            next: `This prompt's slots are ${PROMPT_SLOTS[name as PromptName].map((s) => `{{${s}}}`).join(', ')}`,
          });
        }
      }
      parts[part] = text;
    }
    if (name === 'critique' || name === 'rationale' || name === 'reviewRationale' || name === 'reviewCritique' || name === 'exam') overrides[name] = parts;
  }
  return overrides;
}

export function promptTemplate(name: PromptName, overrides: PromptOverrides = {}): PromptTemplate {
  return { ...DEFAULT_PROMPTS[name], ...overrides[name] };
}

/** Fills a template's slots; values are inserted verbatim (no slot syntax is expanded inside them). */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(SLOT, (whole, slot: string) => (Object.hasOwn(values, slot) ? (values[slot] as string) : whole));
}

export interface RenderedPrompt {
  system: string;
  user: string;
}

export function renderPrompt(name: PromptName, values: Record<string, string>, overrides: PromptOverrides = {}): RenderedPrompt {
  const template = promptTemplate(name, overrides);
  return { system: fillTemplate(template.system, values), user: fillTemplate(template.user, values) };
}

/** A rendered prompt as a chat request's messages: the system prompt, then the user's turn. */
export function promptMessages(
  name: PromptName,
  values: Record<string, string>,
  overrides: PromptOverrides = {},
): { role: 'system' | 'user'; content: string }[] {
  const prompt = renderPrompt(name, values, overrides);
  return [
    { role: 'system', content: prompt.system },
    { role: 'user', content: prompt.user },
  ];
}

/** A problem as a teacher reads it: context, question, lettered options. */
export function problemText(problem: Pick<Problem, 'question' | 'context' | 'options'>): string {
  const parts: string[] = [];
  if (problem.context) parts.push(problem.context.trim());
  parts.push(problem.question.trim());
  if (problem.options && problem.options.length > 0) {
    parts.push(problem.options.map((option, i) => `${String.fromCharCode(65 + i)}. ${option}`).join('\n'));
  }
  return parts.join('\n\n');
}
