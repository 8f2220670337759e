// What a variant says so far, readable while it streams. With structured output the model writes
// the channel body as JSON, token by token ({"channel":"x","text":"Lace up…); this reads the
// string values out of that unfinished JSON, with the path of each (as the checks name fields),
// so the screen shows "Text: Lace up…" instead of raw JSON. Plain text is shown as it is.

export interface PreviewLine {
  /** `text`, `headlines[1]`, `sections[0].heading`; "" for plain text. */
  path: string;
  text: string;
}

interface Frame {
  type: "object" | "array";
  key: string | null;
  expectKey: boolean;
  index: number;
}

const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/** Reads a JSON string starting after its opening quote; stops at the end of `raw` if unfinished. */
function readString(raw: string, from: number): { text: string; next: number } {
  let text = "";
  let at = from;
  while (at < raw.length) {
    const char = raw[at] ?? "";
    if (char === '"') return { text, next: at + 1 };
    if (char !== "\\") {
      text += char;
      at += 1;
      continue;
    }
    const code = raw[at + 1];
    if (code === undefined) break; // the escape is still on its way
    if (code === "u") {
      const hex = raw.slice(at + 2, at + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) break;
      text += String.fromCharCode(parseInt(hex, 16));
      at += 6;
      continue;
    }
    text += ESCAPES[code] ?? code;
    at += 2;
  }
  return { text, next: raw.length };
}

function pathOf(stack: readonly Frame[]): string {
  let path = "";
  for (const frame of stack) {
    if (frame.type === "object" && frame.key !== null) path += path ? `.${frame.key}` : frame.key;
    if (frame.type === "array") path += `[${frame.index}]`;
  }
  return path;
}

export function streamPreview(raw: string): PreviewLine[] {
  if (!raw.trimStart().startsWith("{")) return raw.trim() ? [{ path: "", text: raw }] : [];
  const lines: PreviewLine[] = [];
  const stack: Frame[] = [];
  let at = 0;
  while (at < raw.length) {
    const char = raw[at];
    const top = stack.at(-1);
    if (char === '"') {
      const { text, next } = readString(raw, at + 1);
      at = next;
      if (top?.type === "object" && top.expectKey) {
        top.key = text;
        top.expectKey = false;
      } else if (top) {
        const path = pathOf(stack);
        if (path !== "channel") lines.push({ path, text });
      }
      continue;
    }
    if (char === "{") stack.push({ type: "object", key: null, expectKey: true, index: 0 });
    else if (char === "[") stack.push({ type: "array", key: null, expectKey: false, index: 0 });
    else if (char === "}" || char === "]") stack.pop();
    else if (char === "," && top?.type === "object") top.expectKey = true;
    else if (char === "," && top?.type === "array") top.index += 1;
    at += 1;
  }
  return lines;
}
