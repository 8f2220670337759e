// How the knowledge context's enums read to a person. `Record<Enum, …>` makes a new value in
// openapi/v1.json a type error here until it has a label.
import type { DocumentStatus, DocumentType, SearchMode } from "./types";

export const DOCUMENT_STATUS_LABELS: Record<DocumentStatus, string> = {
  queued: "Queued",
  parsing: "Processing",
  indexed: "Indexed",
  failed: "Failed",
};

/** Dark shades: readable (4.5:1 or more) as outline badge text on white. */
export const DOCUMENT_STATUS_COLORS: Record<DocumentStatus, string> = {
  queued: "gray.7",
  parsing: "blue.8",
  indexed: "teal.9",
  failed: "red.8",
};

export const DOCUMENT_TYPE_LABELS: Record<DocumentType, string> = {
  pdf: "PDF",
  docx: "Word",
  html: "HTML",
  markdown: "Markdown",
  text: "Text",
};

export const SEARCH_MODE_LABELS: Record<SearchMode, string> = {
  hybrid: "Hybrid",
  lexical: "Keywords",
  vector: "Meaning",
};

export const SEARCH_MODE_DESCRIPTIONS: Record<SearchMode, string> = {
  hybrid: "Keywords and meaning, ranked together",
  lexical: "Only passages containing your words",
  vector: "Passages close in meaning, even with other words",
};

/** Statuses that change by themselves: the screens poll while a document has one. */
export const IN_PROGRESS: readonly DocumentStatus[] = ["queued", "parsing"];

export const isInProgress = (status: DocumentStatus) => IN_PROGRESS.includes(status);

/** "2.4 MB", "830 KB", "512 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
