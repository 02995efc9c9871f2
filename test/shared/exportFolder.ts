// The files a folder export (`--format all`) writes, as the tests expect to find them (sorted):
// written out, not derived from the exporter, so a format that goes missing fails the tests.
export const FOLDER_EXPORT_FILES: readonly string[] = [
  'README.md',
  'chat.jsonl',
  'chat.provenance.jsonl',
  'mapd.jsonl',
  'preference.jsonl',
  'preference.provenance.jsonl',
  'prompt_completion.jsonl',
  'prompt_completion.provenance.jsonl',
  'records.jsonl',
];
