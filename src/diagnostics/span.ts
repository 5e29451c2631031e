// Where a piece of a model came from: the one location type every stage passes down, so that any
// diagnostic, at any stage, can point at file:line:column.

export interface Span {
  file: string;
  /** 0-based character offsets into the source text, end exclusive. */
  start: number;
  end: number;
}
