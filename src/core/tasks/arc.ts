import { parseMultipleChoiceFile } from './multipleChoice.ts';
import { gradingFor } from './records.ts';
import type { TaskSpec } from './types.ts';

/**
 * ARC, Easy or Challenge: JSON Lines or a JSON array of {"id", "question", "choices": {"text",
 * "label"}, "answerKey"} (or AI2's {"question": {"stem", "choices"}}). Some questions label their
 * choices "1".."4": their gold is stored as the letter of the position ("3" → "C"), like every
 * other multiple-choice gold, and prompts list options as A, B, C…
 */
export const arc: TaskSpec = {
  name: 'arc',
  title: 'ARC (AI2 Reasoning Challenge, multiple choice)',
  answerType: 'option',
  parseFile(file, options) {
    return parseMultipleChoiceFile(file, options, 'Import a file of the split that carries "answerKey"');
  },
  ...gradingFor('option'),
};
