import { parseMultipleChoiceFile } from './multipleChoice.ts';
import { gradingFor } from './records.ts';
import type { TaskSpec } from './types.ts';

/** CommonsenseQA (JSON Lines {"id", "question": {"stem", "choices": [5]}, "answerKey"}), options A–E. */
export const commonsenseqa: TaskSpec = {
  name: 'commonsenseqa',
  title: 'CommonsenseQA (multiple choice, A–E)',
  answerType: 'option',
  parseFile(file, options) {
    return parseMultipleChoiceFile(file, options, "Import train_rand_split.jsonl or dev_rand_split.jsonl: the test split's answers are not published");
  },
  ...gradingFor('option'),
};
