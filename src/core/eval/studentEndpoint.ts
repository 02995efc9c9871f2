import { UserError } from '../errors.ts';
import type { Db } from '../store/db.ts';
import { getStudent } from '../store/students.ts';
import type { StudentConfig } from '../teachers/config.ts';
import { parseStudentConfig } from '../teachers/config.ts';

/**
 * The endpoint settings to examine a registered student with: its own provider, model and base
 * URL, everything else (key variable, token limit, concurrency, timeouts) from the configured
 * student, so a fine-tuned student is asked exactly as its base was. Undefined when the student
 * has no endpoint registered.
 */
export function registeredStudentConfig(db: Db, name: string, defaults: StudentConfig | undefined): StudentConfig | undefined {
  const student = getStudent(db, name);
  if (!student?.model || !student.provider) return undefined;
  const { id: _id, provider: _provider, model: _model, baseUrl: _baseUrl, ...settings } = defaults ?? ({} as Partial<StudentConfig>);
  return parseStudentConfig(
    { ...settings, id: name, provider: student.provider, model: student.model, ...(student.baseUrl ? { baseUrl: student.baseUrl } : {}) },
    `student "${name}" (mapd students)`,
  );
}

/** As registeredStudentConfig, or one clear error saying how to register the endpoint. */
export function requireRegisteredStudent(db: Db, name: string, defaults: StudentConfig | undefined): StudentConfig {
  const config = registeredStudentConfig(db, name, defaults);
  if (!config)
    throw new UserError(`student "${name}" has no endpoint registered`, { next: `Register it: mapd students add --name ${name} --model M --endpoint URL` });
  return config;
}
