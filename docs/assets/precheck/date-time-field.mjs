// The time of occurrence in the form: an HTML datetime-local control (the wall-clock time) and
// the time-zone list beside it ("Your time zone", UTC or an offset). Its answer is one text, as
// the draft holds it: "2026-11-20T10:15" (a time in the user's own zone) or with the zone
// written after it ("2026-11-20T10:15Z", "2026-11-20T10:15+01:00").
//
// Faithful to opened and restored drafts: the control can only show what HTML allows (a capital
// T, seconds only when not zero, at most milliseconds), so a time opened from a file is kept
// exactly as written ("2026-11-20t10:15:00.123456z") for as long as the date, time and zone
// still show it. Once the user changes one of them, the answer is what the controls hold.
// An offset is kept, never converted: the engine states it in the ticket text as written.

import { formatOffset, offsetMinutesAt, parseDateTime } from "./local-zone.mjs";

// Asks the browser whether a value is a real date and time a datetime-local control can hold.
const probe = document.createElement("input");
probe.type = "datetime-local";

// The control's value for a time as written: what HTML accepts (fractions up to milliseconds).
function controlValue(parts) {
  let value = `${parts.date}T${parts.time}`;
  if (parts.secondText !== null) value += `:${parts.secondText}`;
  if (parts.fraction !== null) value += `.${parts.fraction.slice(0, 3)}`;
  return value;
}

function realOffset(offset) {
  if (offset === null || /^[Zz]$/.test(offset)) return true;
  return Number(offset.slice(1, 3)) <= 23 && Number(offset.slice(4, 6)) <= 59;
}

export function createDateTimeField(group, input) {
  const zone = group.querySelector("[data-kb-zone]");
  const localOption = zone.querySelector("[data-kb-zone-local]");
  const localTitle = localOption.textContent;
  let kept = null; // {text, shown}: a time as opened, while the controls still show it

  function shown() {
    return input.value === "" ? "" : `${input.value}${zone.value}`;
  }

  // "Your time zone (UTC+01:00)": the offset the user's zone has on the date entered (or now).
  function describeLocalZone() {
    const parts = parseDateTime(input.value);
    const minutes = parts ? offsetMinutesAt(parts) : -new Date().getTimezoneOffset();
    localOption.textContent = `${localTitle} (UTC${formatOffset(minutes)})`;
  }

  // The list's entry for an offset as written; one the list lacks is added.
  function zoneChoice(offset) {
    if (offset === null) return "";
    if (/^([Zz]|[+-]00:00)$/.test(offset)) return "Z";
    if (!Array.from(zone.options).some((option) => option.value === offset)) {
      const option = document.createElement("option");
      option.value = offset;
      option.textContent = `UTC${offset}`;
      zone.append(option);
    }
    return offset;
  }

  function holds(text) {
    const parts = parseDateTime(text);
    if (!parts || !realOffset(parts.offset)) return false;
    probe.value = controlValue(parts);
    return probe.value !== "";
  }

  // Shows a time as written; false (and empty controls) if the form cannot hold it.
  function write(text) {
    kept = null;
    const parts = text ? parseDateTime(text) : null;
    const fits = Boolean(parts) && holds(text);
    input.value = fits ? controlValue(parts) : "";
    zone.value = fits ? zoneChoice(parts.offset) : "";
    if (fits && shown() !== text) kept = { text, shown: shown() };
    describeLocalZone();
    return fits || !text;
  }

  function read() {
    const now = shown();
    return kept && kept.shown === now ? kept.text : now;
  }

  input.addEventListener("input", describeLocalZone);
  input.addEventListener("change", describeLocalZone);
  input.form.addEventListener("reset", () => {
    kept = null;
    setTimeout(describeLocalZone); // "reset" fires before the controls are reset
  });
  describeLocalZone();
  return { read, write, holds };
}
