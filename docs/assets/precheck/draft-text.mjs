// A draft file's bytes as text and as JSON, by the same rules as the command line
// (validator/cytrack_ticket/_json.py, whose docstring states them): refuse a UTF-16 or UTF-32
// byte order mark, a NUL byte or any byte that is not UTF-8, drop one UTF-8 byte order mark,
// refuse nesting deeper than the schema's limit, and parse as strict JSON. The shared corpus
// of byte files in tests/fixtures/encoding/ proves both sides accept and refuse the same
// files. Every step is linear in the file's size.

const WIDE_MARKS = [
  // Longest first: the UTF-32 little-endian mark begins with the UTF-16 one.
  [[0xff, 0xfe, 0x00, 0x00], "UTF-32 (little-endian)"],
  [[0x00, 0x00, 0xfe, 0xff], "UTF-32 (big-endian)"],
  [[0xff, 0xfe], "UTF-16 (little-endian)"],
  [[0xfe, 0xff], "UTF-16 (big-endian)"],
];

// A template from the schemas ("... byte {byte} ...") filled in; {{ and }} are braces.
export function fillMessage(template, values) {
  return template.replace(/\{\{|\}\}|\{(\w+)\}/g, (match, name) => {
    if (match === "{{") return "{";
    if (match === "}}") return "}";
    return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
  });
}

function startsWith(bytes, mark) {
  return bytes.length >= mark.length && mark.every((byte, index) => bytes[index] === byte);
}

// The index of the first byte that is not UTF-8 text (the lead byte of a broken sequence, as
// a strict decoder reports it) or is NUL, with which of the two it is; null if there is none.
// The ranges are those of the Unicode Standard's table of well-formed UTF-8 (3-7).
function firstBadByte(bytes) {
  const isContinuation = (index, low = 0x80, high = 0xbf) => index < bytes.length && bytes[index] >= low && bytes[index] <= high;
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index];
    let length = 0;
    if (lead === 0x00) return { index, nul: true };
    if (lead < 0x80) length = 1;
    else if (lead >= 0xc2 && lead <= 0xdf) length = isContinuation(index + 1) ? 2 : 0;
    else if (lead >= 0xe0 && lead <= 0xef) {
      const low = lead === 0xe0 ? 0xa0 : 0x80;
      const high = lead === 0xed ? 0x9f : 0xbf;
      length = isContinuation(index + 1, low, high) && isContinuation(index + 2) ? 3 : 0;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      const low = lead === 0xf0 ? 0x90 : 0x80;
      const high = lead === 0xf4 ? 0x8f : 0xbf;
      length = isContinuation(index + 1, low, high) && isContinuation(index + 2) && isContinuation(index + 3) ? 4 : 0;
    }
    if (length === 0) return { index, nul: false };
    index += length;
  }
  return null;
}

function position(bytes, index) {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    if (bytes[i] === 0x0a) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { byte: index, line, column: index - lineStart + 1 };
}

// { text } or { problem }: the problem is the schema's message (catalogue.messages), the same
// words the command line prints.
export function decodeDraft(bytes, messages) {
  for (const [mark, encoding] of WIDE_MARKS) {
    if (startsWith(bytes, mark)) return { problem: fillMessage(messages.not_utf8_encoding, { encoding }) };
  }
  const bad = firstBadByte(bytes);
  if (bad) {
    const template = bad.nul ? messages.not_utf8_nul : messages.not_utf8;
    return { problem: fillMessage(template, position(bytes, bad.index)) };
  }
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  return { text: text.startsWith("\ufeff") ? text.slice(1) : text };
}

// Where the first bracket deeper than `limit` opens (outside strings), or -1.
function firstOverDeep(text, limit) {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === "\\") index += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "[" || char === "{") {
      depth += 1;
      if (depth > limit) return index;
    } else if (char === "]" || char === "}") depth -= 1;
  }
  return -1;
}

// As the command line counts them: lines from 1, columns in characters (not UTF-16 units).
function lineAndColumn(text, index) {
  const before = text.slice(0, index);
  const line = before.split("\n").length;
  const column = Array.from(before.slice(before.lastIndexOf("\n") + 1)).length + 1;
  return `line ${line}, column ${column}`;
}

// { draft, sources } or { problem } for the text of a draft file. `sources` maps each of the
// draft's own keys to its value's JSON text, so a number too large for JavaScript can still be
// shown as it was written.
export function parseDraftText(text, maxDepth) {
  if (text.startsWith("\ufeff")) {
    return { problem: "it is not valid JSON (line 1, column 1: a byte order mark (U+FEFF) is not allowed here)." };
  }
  let brackets = 0;
  for (const char of text) if (char === "[" || char === "{") brackets += 1;
  if (brackets > maxDepth) {
    const index = firstOverDeep(text, maxDepth);
    if (index >= 0) {
      return { problem: `it is not valid JSON (${lineAndColumn(text, index)}: nested more than ${maxDepth} levels deep).` };
    }
  }
  const sourcesByHolder = new WeakMap();
  let draft;
  try {
    draft = JSON.parse(text, function keepSource(key, value, context) {
      if (context && typeof context.source === "string") {
        if (!sourcesByHolder.has(this)) sourcesByHolder.set(this, new Map());
        sourcesByHolder.get(this).set(key, context.source);
      }
      return value;
    });
  } catch (error) {
    return { problem: `it is not valid JSON (${error.message}).` };
  }
  const sources = (draft && typeof draft === "object" && sourcesByHolder.get(draft)) || new Map();
  return { draft, sources };
}

// Characters that would make what the page shows differ from what a file holds: controls
// and invisible format characters (the engine's list, validator/cytrack_ticket/_text.py),
// shown as \u escapes wherever the page quotes a file's keys or values.
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

export function visible(text) {
  return text.replace(HIDDEN, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
