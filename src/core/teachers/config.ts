import { UserError } from '../errors.ts';
import { readTextFile } from '../io/textFile.ts';
import type { Aggregation } from '../ranking.ts';
import type { PromptOverrides } from '../prompts.ts';
import { validatePromptOverrides } from '../prompts.ts';
import { DEFAULT_MAX_RETRIES } from './retryPolicy.ts';
import type { Provider } from './types.ts';
import { PROVIDERS } from './types.ts';

/**
 * The shape of teacher, student and review settings, shared by the CLI's config file and the
 * extension's settings (mapd.teachers, mapd.student, mapd.prompts, mapd.review.*). Keys are not
 * part of it: the CLI names an environment variable, the extension keeps them in SecretStorage.
 */
export interface TeacherConfig {
  id: string;
  provider: Provider;
  model: string;
  baseUrl?: string;
  /** CLI only: the environment variable that holds the key. */
  apiKeyEnv?: string;
  temperature: number;
  maxTokens: number;
  /** Dollars per million tokens. */
  price: { input: number; output: number };
  /** vscode-lm: which of the editor's chat models (selectChatModels); `model` is its id. */
  vendor?: string;
  family?: string;
  /** No price was given for a teacher whose tokens are counted, not billed (vscode-lm): cost unknown. */
  unpriced?: boolean;
  concurrency: number;
  /** 0 = no limit. */
  requestsPerMinute: number;
  timeoutMs: number;
  maxRetries: number;
}

/** The student is called like a teacher, through an OpenAI-style endpoint only. */
export interface StudentConfig extends Omit<TeacherConfig, 'provider'> {
  provider: 'openai-compatible' | 'openai';
}

export interface ReviewConfig {
  scale: { min: number; max: number };
  threshold: number;
  aggregation: Aggregation;
  /** Skip a review whose score cannot change the verdict. */
  skipUndecidable: boolean;
}

export interface MapdConfig {
  teachers: TeacherConfig[];
  student?: StudentConfig;
  prompts: PromptOverrides;
  review: ReviewConfig;
}

export const DEFAULT_REVIEW: ReviewConfig = { scale: { min: 1, max: 5 }, threshold: 3, aggregation: 'mean', skipUndecidable: true };

/** The paper's teacher settings: temperature 0.8, 512 tokens. */
const TEACHER_DEFAULTS = { temperature: 0.8, maxTokens: 512, concurrency: 4, requestsPerMinute: 0, timeoutMs: 60_000, maxRetries: DEFAULT_MAX_RETRIES };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Reader {
  readonly obj: Json;
  readonly where: string;
  constructor(obj: Json, where: string) {
    this.obj = obj;
    this.where = where;
  }
  fail(field: string, what: string, next: string): never {
    throw new UserError(what, { where: `${this.where}.${field}`, next });
  }
  string(field: string, required: boolean): string | undefined {
    const v = this.obj[field];
    if (v === undefined || v === null || v === '') {
      if (required) this.fail(field, 'is missing', `Add "${field}"`);
      return undefined;
    }
    if (typeof v !== 'string') this.fail(field, `must be a string, not ${JSON.stringify(v)}`, `Write "${field}" as text`);
    return v.trim();
  }
  number(field: string, fallback: number, range: { min: number; max: number; integer?: boolean }): number {
    const v = this.obj[field];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v))
      this.fail(field, `must be a number, not ${JSON.stringify(v)}`, `Write a number between ${range.min} and ${range.max}`);
    if (v < range.min || v > range.max || (range.integer && !Number.isInteger(v))) {
      this.fail(
        field,
        `is ${v}, outside ${range.min}…${range.max}${range.integer ? ' (whole numbers)' : ''}`,
        `Write a ${range.integer ? 'whole ' : ''}number between ${range.min} and ${range.max}`,
      );
    }
    return v;
  }
  boolean(field: string, fallback: boolean): boolean {
    const v = this.obj[field];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') this.fail(field, `must be true or false, not ${JSON.stringify(v)}`, 'Write true or false');
    return v;
  }
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ENV_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

function parseBaseUrl(r: Reader): string | undefined {
  const url = r.string('baseUrl', false);
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return r.fail('baseUrl', `"${url}" is not a URL`, "Write the endpoint's base URL, e.g. http://localhost:8000/v1");
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') r.fail('baseUrl', `"${url}" is not http(s)`, 'Use an http:// or https:// URL');
  if (parsed.username || parsed.password)
    r.fail('baseUrl', 'holds credentials', 'Remove the user name and password from the URL; put the key in the key store or an environment variable');
  if (parsed.search) r.fail('baseUrl', 'has a query string', 'Remove the part after "?"; a key never belongs in the URL');
  return url;
}

function parsePrice(r: Reader): { input: number; output: number } {
  const raw = r.obj.price;
  if (raw === undefined || raw === null) {
    return { input: r.number('priceInput', 0, { min: 0, max: 10_000 }), output: r.number('priceOutput', 0, { min: 0, max: 10_000 }) };
  }
  if (!isObject(raw))
    return r.fail('price', 'must be an object {"input": dollars per million tokens, "output": …}', 'Write e.g. "price": {"input": 0.5, "output": 1.5}');
  const p = new Reader(raw, `${r.where}.price`);
  return { input: p.number('input', 0, { min: 0, max: 10_000 }), output: p.number('output', 0, { min: 0, max: 10_000 }) };
}

function parseEndpointCommon(r: Reader) {
  const apiKeyEnv = r.string('apiKeyEnv', false);
  if (apiKeyEnv !== undefined && !ENV_PATTERN.test(apiKeyEnv)) {
    r.fail(
      'apiKeyEnv',
      `"${apiKeyEnv}" is not an environment variable name`,
      'Name the variable that holds the key (e.g. OPENAI_API_KEY), never the key itself',
    );
  }
  return {
    model: r.string('model', true) as string,
    baseUrl: parseBaseUrl(r),
    apiKeyEnv,
    temperature: r.number('temperature', TEACHER_DEFAULTS.temperature, { min: 0, max: 2 }),
    maxTokens: r.number('maxTokens', TEACHER_DEFAULTS.maxTokens, { min: 1, max: 200_000, integer: true }),
    price: parsePrice(r),
    concurrency: r.number('concurrency', TEACHER_DEFAULTS.concurrency, { min: 1, max: 256, integer: true }),
    requestsPerMinute: r.number('requestsPerMinute', TEACHER_DEFAULTS.requestsPerMinute, { min: 0, max: 1_000_000 }),
    timeoutMs: r.number('timeoutMs', TEACHER_DEFAULTS.timeoutMs, { min: 100, max: 3_600_000, integer: true }),
    maxRetries: r.number('maxRetries', TEACHER_DEFAULTS.maxRetries, { min: 0, max: 10, integer: true }),
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function parseTeacherConfig(value: unknown, where: string): TeacherConfig {
  if (!isObject(value)) throw new UserError('a teacher must be an object', { where, next: 'Write {"id": …, "provider": …, "model": …}' });
  const r = new Reader(value, where);
  const id = r.string('id', true) as string;
  if (!ID_PATTERN.test(id)) r.fail('id', `"${id}" is not a usable teacher id`, 'Use letters, digits, ".", "_" or "-" (at most 64)');
  const provider = r.string('provider', true) as string;
  if (!PROVIDERS.includes(provider as Provider)) r.fail('provider', `"${provider}" is not a provider`, `Use one of ${PROVIDERS.join(', ')}`);
  const common = parseEndpointCommon(r);
  if (provider === 'openai-compatible' && !common.baseUrl)
    r.fail('baseUrl', 'is needed for an openai-compatible teacher', "Add the server's base URL, e.g. http://localhost:8000/v1");
  if (provider === 'vscode-lm') {
    if (common.baseUrl)
      r.fail('baseUrl', "has no meaning for the editor's own models", 'Remove "baseUrl"; choose the model by "vendor", "family" and "model" (its id)');
    const unpriced = value.price === undefined && value.priceInput === undefined && value.priceOutput === undefined;
    return withoutUndefined({
      id,
      provider: 'vscode-lm' as const,
      ...common,
      vendor: r.string('vendor', false),
      family: r.string('family', false),
      ...(unpriced ? { unpriced: true } : {}),
    });
  }
  return withoutUndefined({ id, provider: provider as Provider, ...common });
}

export function parseStudentConfig(value: unknown, where: string): StudentConfig {
  if (!isObject(value)) throw new UserError('the student must be an object', { where, next: 'Write {"model": …, "baseUrl": …}' });
  const r = new Reader(value, where);
  const id = r.string('id', false) ?? 'student';
  if (!ID_PATTERN.test(id)) r.fail('id', `"${id}" is not a usable student id`, 'Use letters, digits, ".", "_" or "-"');
  const provider = r.string('provider', false) ?? 'openai-compatible';
  if (provider !== 'openai-compatible' && provider !== 'openai')
    r.fail('provider', `"${provider}" cannot be a student endpoint`, 'Use openai-compatible (vLLM, Ollama, llama.cpp, …) or openai');
  const common = parseEndpointCommon(r);
  if (provider === 'openai-compatible' && !common.baseUrl)
    r.fail('baseUrl', 'is needed for the student endpoint', "Add the server's base URL, e.g. http://localhost:8000/v1");
  // Exams are graded: greedy decoding unless the user asks otherwise.
  const temperature = value.temperature === undefined ? 0 : common.temperature;
  return withoutUndefined({ id, provider: provider as StudentConfig['provider'], ...common, temperature });
}

export function parseReviewConfig(value: unknown, where: string): ReviewConfig {
  if (value === undefined || value === null) return DEFAULT_REVIEW;
  if (!isObject(value)) throw new UserError('must be an object', { where, next: 'Write {"threshold": 3, "aggregation": "mean"}' });
  const r = new Reader(value, where);
  let scale = DEFAULT_REVIEW.scale;
  if (value.scale !== undefined) {
    const rawScale = value.scale;
    if (!isObject(rawScale)) return r.fail('scale', 'must be {"min": 1, "max": 5}', 'Write the lowest and highest score');
    const s = new Reader(rawScale, `${where}.scale`);
    scale = { min: s.number('min', 1, { min: 0, max: 100, integer: true }), max: s.number('max', 5, { min: 1, max: 100, integer: true }) };
    if (scale.max <= scale.min) r.fail('scale', `max ${scale.max} is not above min ${scale.min}`, 'Make max greater than min');
  }
  const aggregation = r.string('aggregation', false) ?? DEFAULT_REVIEW.aggregation;
  if (!['mean', 'median', 'min'].includes(aggregation)) r.fail('aggregation', `"${aggregation}" is not an aggregation`, 'Use mean, median or min');
  return {
    scale,
    threshold: r.number('threshold', DEFAULT_REVIEW.threshold, { min: scale.min - 1, max: scale.max }),
    aggregation: aggregation as Aggregation,
    skipUndecidable: r.boolean('skipUndecidable', DEFAULT_REVIEW.skipUndecidable),
  };
}

export function parseTeachers(value: unknown, where: string): TeacherConfig[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new UserError('must be a list of teachers', { where, next: 'Write "teachers": [{"id": …}, …]' });
  const teachers = value.map((t, i) => parseTeacherConfig(t, `${where}[${i}]`));
  const seen = new Set<string>();
  teachers.forEach((t, i) => {
    if (seen.has(t.id)) throw new UserError(`teacher id "${t.id}" is used twice`, { where: `${where}[${i}].id`, next: 'Give every teacher its own id' });
    seen.add(t.id);
  });
  return teachers;
}

export function parseConfig(value: unknown, where: string): MapdConfig {
  if (!isObject(value)) throw new UserError('the configuration must be a JSON object', { where, next: 'Write {"teachers": [...], "student": {...}}' });
  const config: MapdConfig = {
    teachers: parseTeachers(value.teachers, `${where}: teachers`),
    prompts: validatePromptOverrides(value.prompts, `${where}: prompts`),
    review: parseReviewConfig(value.review, `${where}: review`),
  };
  if (value.student !== undefined && value.student !== null) config.student = parseStudentConfig(value.student, `${where}: student`);
  return config;
}

/** JSONC as VS Code writes it: // and block comments, trailing commas. Strings are left alone. */
export function parseJsonc(text: string, where: string): unknown {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const chunk = text.slice(i, end === -1 ? text.length : end + 2);
      out += chunk.replace(/[^\n]/g, ' ');
      i = end === -1 ? text.length : end + 2;
    } else {
      out += ch;
      i++;
    }
  }
  out = out.replace(/,(\s*[}\]])/g, '$1');
  try {
    return JSON.parse(out);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position ? out.slice(0, Number(position[1])).split('\n').length : undefined;
    throw new UserError(`is not valid JSON (${message})`, {
      where: line ? `${where}:${line}` : where,
      next: 'Fix the syntax; comments and trailing commas are allowed',
    });
  }
}

export function findTeacher(config: { teachers: readonly TeacherConfig[] }, id: string, where: string): TeacherConfig {
  const teacher = config.teachers.find((t) => t.id === id);
  if (!teacher) {
    const known = config.teachers.map((t) => t.id).join(', ') || 'none configured';
    throw new UserError(`no teacher "${id}"`, { where, next: `Use one of: ${known}` });
  }
  return teacher;
}

/** The configured teachers named in a comma list (all when none is given), unknown names refused. */
export function selectTeachers(config: { teachers: readonly TeacherConfig[] }, ids: readonly string[] | undefined, where: string): TeacherConfig[] {
  if (config.teachers.length === 0) throw new UserError('no teachers are configured', { where, next: 'Add at least one teacher to "teachers"' });
  if (!ids || ids.length === 0) return [...config.teachers];
  return ids.map((id) => findTeacher(config, id, where));
}

/** Reads the CLI's JSON/JSONC configuration file (keys are never in it: apiKeyEnv names a variable). */
export function loadConfigFile(file: string): MapdConfig {
  return parseConfig(parseJsonc(readTextFile(file), file), file);
}
