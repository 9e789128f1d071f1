/**
 * The chapter's Avro schemas (MISSION.md 12.3.4). v2 adds phone number and age, each with a
 * default, which is what makes it BACKWARD compatible. Workflow-safe constants.
 */
export const STUDENT_SCHEMA_V1 = {
  namespace: 'student.avro',
  type: 'record',
  name: 'Student',
  doc: 'This is an example of Avro.',
  fields: [
    { name: 'name', type: ['null', 'string'], default: null, doc: 'Name of the student' },
    { name: 'class', type: 'int', default: 1, doc: 'Class of the student' },
  ],
} as const;

export const STUDENT_SCHEMA_V2 = {
  ...STUDENT_SCHEMA_V1,
  fields: [
    ...STUDENT_SCHEMA_V1.fields,
    { name: 'phone', type: ['null', 'string'], default: null, doc: 'Phone number of the student' },
    { name: 'age', type: 'int', default: 0, doc: 'Age of the student' },
  ],
} as const;
