// Times of occurrence and this browser's time zone, for the worker (which tells the engine the
// zone of a time written without an offset) and the form's date-time field.
//
// The engine's grammar (validator/cytrack_ticket/_datetime.py), repeated here only to find the
// parts of a time; the engine alone decides whether it is valid:
//   YYYY-MM-DD, then T, t or a space, then HH:MM, optional :SS and .fraction (1 to 9 digits),
//   optional offset: Z, z or ±HH:MM.
// It imports nothing: the worker loads it before Pyodide.

const DATE_TIME =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?([Zz]|[+-][0-9]{2}:[0-9]{2})?$/;

// The parts of a time of occurrence as written, or null if it is not in the engine's grammar.
export function parseDateTime(text) {
  const match = typeof text === "string" ? DATE_TIME.exec(text) : null;
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction, offset] = match;
  return {
    date: `${year}-${month}-${day}`,
    time: `${hour}:${minute}`,
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: second === undefined ? null : Number(second),
    secondText: second === undefined ? null : second,
    fraction: fraction === undefined ? null : fraction,
    offset: offset === undefined ? null : offset,
  };
}

// The UTC offset, in whole minutes east of UTC, that this browser's zone has at a wall-clock
// time. In the hour a clock skips or repeats, browsers take the offset in force before the
// change (ECMAScript's "compatible" rule), as the engine does (PEP 495's fold=0). Years 0 to
// 99 are set with setFullYear, which does not map them to 1900 to 1999 as Date() does.
export function offsetMinutesAt({ year, month, day, hour, minute, second }) {
  const local = new Date(0);
  local.setFullYear(year, month - 1, day);
  local.setHours(hour, minute, second || 0, 0);
  const asUtc = new Date(0);
  asUtc.setUTCFullYear(year, month - 1, day);
  asUtc.setUTCHours(hour, minute, second || 0, 0);
  return Math.round((asUtc.getTime() - local.getTime()) / 60000);
}

// "+01:00", "-09:30", "+00:00".
export function formatOffset(minutes) {
  const sign = minutes < 0 ? "-" : "+";
  const size = Math.abs(minutes);
  const pad = (value) => String(value).padStart(2, "0");
  return `${sign}${pad(Math.floor(size / 60))}:${pad(size % 60)}`;
}

// The offset this browser's zone has at the time of occurrence of a draft (JSON text), for the
// engine's `tz`; undefined when the draft has no time without an offset to place.
export function zoneForDraft(draftText) {
  let draft;
  try {
    draft = JSON.parse(draftText);
  } catch {
    return undefined;
  }
  if (draft === null || typeof draft !== "object" || Array.isArray(draft)) return undefined;
  const parts = parseDateTime(draft.occurred_at);
  if (!parts || parts.offset !== null || parts.month < 1 || parts.month > 12) return undefined;
  return formatOffset(offsetMinutesAt(parts));
}
