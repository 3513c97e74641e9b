// The error of a bad data file or data set: what is wrong, where (the file, the line and column or the byte
// offset, the field), declared against actual sizes. Thrown before any memory is reserved or any work starts,
// so a caller (the CLI prints `error: <message>` and exits with status 1) can show the message alone.

export class DataError extends Error {
  override name = "DataError";
  constructor(
    /** The file (or data set name) that is wrong. */
    readonly source: string,
    /** What is wrong with it, without the source (the message is `${source}: ${what}`). */
    what: string,
    options?: { cause?: unknown },
  ) {
    super(`${source}: ${what}`, options);
  }
}
