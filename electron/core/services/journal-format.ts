/** The zod schema of Outloud's JSON export, used to validate a file before anything is imported. */
import { z } from 'zod';
import { Body, Id, Tags, Timestamp, Title } from '../../../shared/api/schemas.ts';
import { ENTRY_KINDS, LINK_TYPES, QUESTION_STATUSES } from '../../../shared/domain/entry.ts';
import { EXPORT_FORMAT, EXPORT_VERSION } from '../../../shared/domain/journal.ts';

const str = (max = 10_000) => z.string().max(max);
const strList = z.array(str(2_000)).max(1_000);

const base = {
  id: Id,
  title: Title,
  body: Body,
  tags: Tags,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  deletedAt: Timestamp.nullable(),
  source: str(64).regex(/^(typed|capture|cli|api|mention|import:[a-z0-9-]+)$/),
  sourceRef: str(2_000).nullable(),
};

export const ExportedEntry = z.discriminatedUnion('kind', [
  z.object({ ...base, kind: z.literal('note') }),
  z.object({
    ...base,
    kind: z.literal('bookmark'),
    bookmark: z.object({ url: str(8_192), urlNormalized: str(8_192), site: str(500), excerpt: str(2_000), notes: z.array(Body).max(1_000) }),
  }),
  z.object({
    ...base,
    kind: z.literal('person'),
    person: z.object({
      name: str(200).min(1),
      aliases: strList,
      role: str(2_000),
      organisation: str(2_000),
      contacts: strList,
      topics: strList,
      recommendedBy: str(200),
    }),
  }),
  z.object({
    ...base,
    kind: z.literal('question'),
    question: z.object({ status: z.enum(QUESTION_STATUSES), askedBy: str(200), answer: Body, closedAt: Timestamp.nullable() }),
  }),
]);

export const ExportedRevision = z.object({
  id: z.number().int().positive(),
  entryId: Id,
  savedAt: Timestamp,
  title: Title,
  body: Body,
  tags: Tags,
  fields: z.record(z.string(), z.unknown()),
});

export const JournalExportSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportedAt: Timestamp,
  entries: z.array(ExportedEntry),
  revisions: z.array(ExportedRevision),
  links: z.array(z.object({ from: Id, to: Id, type: z.enum(LINK_TYPES) })),
});

export { ENTRY_KINDS };
