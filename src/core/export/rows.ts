import type { OutputKind, TaskName } from '../model.ts';
import type { BundleSelection, HumanDecision, ItemSelection, Exclusion } from './select.ts';
import { FEEDBACK_INSTRUCTION, chatUserContent, feedbackInput, rationaleInstruction } from './instructions.ts';
import { problemText } from '../prompts.ts';

/**
 * Where an exported example came from. Every field is always present (null where unknown) with
 * one type, so column readers (Hugging Face datasets, pandas) infer one schema for the file.
 */
export interface Provenance {
  problem: { id: number; sourceId: string; task: TaskName; split: string; goldAnswer: string };
  output: { id: number; kind: OutputKind; teacher: string; sample: number; callId: number | null; source: string; createdAt: string };
  /** The wrong answer a critique critiques; null for rationales. */
  student: { answerId: number; name: string; extractedAnswer: string | null; callId: number | null } | null;
  peer: { reviews: { reviewer: string; score: number | null; callId: number | null }[]; score: number | null; validScores: number; accepted: boolean };
  human: { decision: HumanDecision; edited: boolean; originalText: string | null; curator: string | null; at: string | null };
  /** For rationales: the final answer of the exported text against gold (rationaleAnswer; `consistent` is its reachesGold); null for critiques. */
  answer: { extracted: string | null; consistent: boolean } | null;
}

export type TrainingTask = 'rationale' | 'feedback';

/** The MAPD two-task row: alpaca columns (instruction / input / output) plus the task and where it came from. */
export interface MapdRow {
  instruction: string;
  input: string;
  output: string;
  task: TrainingTask;
  provenance: Provenance;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The chat row: exactly what OpenAI fine-tuning and TRL read; provenance goes to a line-aligned sidecar. */
export interface ChatRow {
  messages: ChatMessage[];
}

/** TRL's conversational prompt/completion row (SFTTrainer trains on the completion only). */
export interface PromptCompletionRow {
  prompt: ChatMessage[];
  completion: ChatMessage[];
}

/** Line n of a sidecar describes line n of its file (chat, prompt/completion). */
export interface SidecarRow {
  /** 1-based line of the file this describes. */
  line: number;
  task: TrainingTask;
  provenance: Provenance;
}

export const RECORD_FORMAT = 'mapd-curation-record';
export const RECORD_VERSION = 1;

/** The curated record: one teacher output with its decision, re-importable into a project. */
export interface CurationRecord {
  format: typeof RECORD_FORMAT;
  version: typeof RECORD_VERSION;
  question: string;
  /** The teacher's text as it came. */
  text: string;
  /** The human's edit, null when not edited. */
  editedText: string | null;
  inTrainingSet: boolean;
  exclusion: Exclusion | null;
  provenance: Provenance;
}

export function provenanceOf(selection: BundleSelection, item: ItemSelection): Provenance {
  const { problem } = selection.bundle;
  const { output, reviews, verdict, state } = item.curated;
  const student = item.studentAnswer;
  return {
    problem: { id: problem.id, sourceId: problem.sourceId, task: problem.task, split: problem.split, goldAnswer: problem.goldAnswer },
    output: {
      id: output.id,
      kind: output.kind,
      teacher: output.teacher,
      sample: output.sample,
      callId: output.callId,
      source: output.source,
      createdAt: output.createdAt,
    },
    student: student ? { answerId: student.id, name: student.student, extractedAnswer: student.extractedAnswer, callId: student.callId } : null,
    peer: {
      reviews: reviews.map((r) => ({ reviewer: r.reviewer, score: r.score, callId: r.callId })),
      score: verdict.score,
      validScores: verdict.validScores,
      accepted: verdict.accepted,
    },
    human: {
      decision: item.human,
      edited: item.human === 'edited',
      originalText: item.human === 'edited' ? output.text : null,
      curator: state?.curator ?? null,
      at: state?.lastEventAt ?? null,
    },
    answer: item.answer ? { extracted: item.answer.extracted, consistent: item.answer.reachesGold } : null,
  };
}

export function trainingTask(item: ItemSelection): TrainingTask {
  return item.curated.output.kind === 'rationale' ? 'rationale' : 'feedback';
}

/**
 * The instruction and input of an item's training example. The question is rendered as the
 * teachers saw it (problemText: context, question, lettered options), so the trained input
 * matches what the rationales answer.
 */
export function promptOf(selection: BundleSelection, item: ItemSelection): { instruction: string; input: string } {
  const { problem } = selection.bundle;
  if (trainingTask(item) === 'rationale') return { instruction: rationaleInstruction(problem.task), input: problemText(problem) };
  return { instruction: FEEDBACK_INSTRUCTION, input: feedbackInput(problem, item.studentAnswer?.rawOutput ?? '') };
}

export function mapdRow(selection: BundleSelection, item: ItemSelection, provenance: Provenance): MapdRow {
  const { instruction, input } = promptOf(selection, item);
  return { instruction, input, output: item.text.trim(), task: trainingTask(item), provenance };
}

/** The prompt turns of an item's example: an optional system message, then the user turn. */
export function promptMessages(selection: BundleSelection, item: ItemSelection, system: string | undefined): ChatMessage[] {
  const { instruction, input } = promptOf(selection, item);
  const messages: ChatMessage[] = [];
  if (system) messages.push({ role: 'system', content: system });
  messages.push({ role: 'user', content: chatUserContent(instruction, input) });
  return messages;
}

export function assistant(text: string): ChatMessage[] {
  return [{ role: 'assistant', content: text.trim() }];
}

export function chatRow(selection: BundleSelection, item: ItemSelection, system: string | undefined): ChatRow {
  return { messages: [...promptMessages(selection, item, system), ...assistant(item.text)] };
}

export function promptCompletionRow(selection: BundleSelection, item: ItemSelection, system: string | undefined): PromptCompletionRow {
  return { prompt: promptMessages(selection, item, system), completion: assistant(item.text) };
}

export function curationRecord(selection: BundleSelection, item: ItemSelection, provenance: Provenance): CurationRecord {
  return {
    format: RECORD_FORMAT,
    version: RECORD_VERSION,
    question: problemText(selection.bundle.problem),
    text: item.curated.output.text,
    editedText: item.human === 'edited' ? item.text : null,
    inTrainingSet: item.selected,
    exclusion: item.exclusion,
    provenance,
  };
}
