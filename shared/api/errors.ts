/** Errors cross every boundary (IPC, HTTP, CLI) as data with a stable code and a readable message. */
export const ERROR_CODES = [
  'VALIDATION', // the input does not match the method's schema
  'NOT_FOUND', // no entry (or revision) with that id
  'CONFLICT', // e.g. the entry is in the trash, or a unique key is taken
  'UNKNOWN_METHOD',
  'DB_FROM_FUTURE', // the database was written by a newer Outloud
  'DB_BUSY', // another process held the database for longer than the busy timeout
  'IO', // a file could not be read or written
  'CANCELLED', // the person stopped it (an import): the message says what was done before it stopped
  'UNAUTHORIZED', // HTTP: missing or wrong token, foreign Host/Origin
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  code: ErrorCode;
  message: string;
  /** For VALIDATION: the path of each problem in the input. */
  issues?: Array<{ path: string; message: string }>;
  /** For CONFLICT: the entry in the way (a person of the same name), for a front end to offer it. */
  entryId?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export class OutloudError extends Error {
  readonly code: ErrorCode;
  readonly issues: ApiError['issues'];
  readonly entryId: string | undefined;
  constructor(code: ErrorCode, message: string, issues?: ApiError['issues'], more: { entryId?: string } = {}) {
    super(message);
    this.name = 'OutloudError';
    this.code = code;
    this.issues = issues;
    this.entryId = more.entryId;
  }
  toApiError(): ApiError {
    return {
      code: this.code,
      message: this.message,
      ...(this.issues ? { issues: this.issues } : {}),
      ...(this.entryId !== undefined ? { entryId: this.entryId } : {}),
    };
  }
}

/**
 * What a CONFLICT with an `entryId` says is in the way, without the core's advice after `;` and
 * without the entry's id in brackets (`Ada Lovelace is already in your journal`): each front end
 * follows it with its own way to that entry.
 */
export function conflictSubject(error: ApiError): string {
  return error.message.replace(/;.*$/s, '').replace(/ \([0-9a-z]+\)\.?$/, '').replace(/\.$/, '');
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, issues?: ApiError['issues']): Result<never> => ({
  ok: false,
  error: issues ? { code, message, issues } : { code, message },
});
