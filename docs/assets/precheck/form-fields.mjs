// The pre-check form as the generated HTML (validator/kb_build/precheck_form.py) describes it:
// one [data-kb-field] group per schema field, whose controls are named by the draft's JSON
// key; which fields apply to the chosen issue type; and the draft built from the answers.
// What the schemas say beyond the HTML (the JSON value of each choice, the after-hours
// trigger) comes as data in the #precheck-catalogue block; no field key is hard-coded here
// beyond the draft's fixed contract keys (issue_type, priority). A date-time field's answer
// comes from its control and time-zone list together (date-time-field.mjs).

import { createDateTimeField } from "./date-time-field.mjs";

// Every id in the generated form starts with this (PREFIX in precheck_form.py).
export const PREFIX = "precheck-";

// The element with id "precheck-<name>" in the pre-check.
export function part(root, name) {
  return root.querySelector(`#${PREFIX}${name}`);
}

// The catalogue block the build writes next to the form: { values: {key: {control value:
// JSON value}}, after_hours_trigger: {field, value}, suggestions: {fields: {key: weight}} }.
export function readCatalogue(root) {
  return JSON.parse(part(root, "catalogue").textContent);
}

function own(object, key) {
  return Object.prototype.hasOwnProperty.call(object, key);
}

function readFields(form) {
  return Array.from(form.querySelectorAll("[data-kb-field]"), (group) => {
    const key = group.dataset.kbField;
    const typeGroup = group.closest("[data-kb-issue-type]");
    const controls = Array.from(group.querySelectorAll(`[name="${key}"]`));
    const widget = group.dataset.kbWidget;
    return {
      key,
      group,
      widget,
      issueType: typeGroup ? typeGroup.dataset.kbIssueType : null,
      afterHours: Boolean(group.closest("[data-kb-after-hours]")),
      controls,
      dateTime: widget === "datetime-local" ? createDateTimeField(group, controls[0]) : null,
      // Radio groups describe and label themselves on their fieldset.
      described: group.querySelector("fieldset") || group.querySelector(`#${PREFIX}${key}`),
      focusTarget: group.querySelector(`#${PREFIX}${key}`),
    };
  });
}

function isChoice(field) {
  return field.widget === "radios" || field.widget === "yes-no";
}

// A field's answer as its controls hold it ("" when unanswered; "true"/"false" for yes-no).
export function rawValue(field) {
  if (field.dateTime) return field.dateTime.read();
  if (isChoice(field)) {
    const checked = field.controls.find((control) => control.checked);
    return checked ? checked.value : "";
  }
  return field.controls[0].value;
}

// Returns false when the field cannot hold the value (its controls are then left empty).
export function setRawValue(field, value) {
  if (field.dateTime) return field.dateTime.write(value);
  if (isChoice(field)) {
    for (const control of field.controls) control.checked = control.value === value;
  } else {
    field.controls[0].value = value;
  }
  return true;
}

// The values a field accepts, or null for free text.
export function choiceValues(field) {
  if (isChoice(field)) return field.controls.map((control) => control.value);
  if (field.widget === "select") return Array.from(field.controls[0].options, (o) => o.value).filter(Boolean);
  return null;
}

// The chosen answer as the form labels it ("" when unanswered): for radios and selects.
export function valueTitle(field) {
  if (isChoice(field)) {
    const checked = field.controls.find((control) => control.checked);
    return checked ? checked.labels[0].textContent : "";
  }
  const select = field.controls[0];
  return select.selectedIndex > 0 ? select.options[select.selectedIndex].textContent : "";
}

export function readForm(root) {
  const element = root.querySelector("form");
  const catalogue = readCatalogue(root);
  const fields = readFields(element);
  const byKey = new Map(fields.map((field) => [field.key, field]));
  const trigger = catalogue.after_hours_trigger;

  // The JSON value a control value stands for (true for "true" on a yes/no field).
  function toJson(field, raw) {
    const values = own(catalogue.values, field.key) ? catalogue.values[field.key] : null;
    return values && own(values, raw) ? values[raw] : raw;
  }

  // The control value that holds a JSON value, or null if no control can hold it.
  function toRaw(field, value) {
    const values = own(catalogue.values, field.key) ? catalogue.values[field.key] : null;
    if (values) {
      const found = Object.keys(values).find((raw) => values[raw] === value);
      return found === undefined ? null : found;
    }
    if (typeof value !== "string") return null;
    const choices = choiceValues(field);
    return !choices || choices.includes(value) ? value : null;
  }

  // Whether the form can show this answer as it stands (a date-time must be a real one).
  function canHold(field, raw) {
    return field.dateTime ? field.dateTime.holds(raw) : true;
  }

  function issueType() {
    return rawValue(byKey.get("issue_type"));
  }

  // The draft is an After Hours Support Request.
  function afterHoursAsked() {
    return rawValue(byKey.get(trigger.field)) === trigger.value;
  }

  // An after-hours answer keeps its questions shown, so that nothing typed is hidden.
  function afterHoursShown() {
    if (afterHoursAsked()) return true;
    return fields.some((field) => field.afterHours && rawValue(field) !== "");
  }

  function applies(field, type) {
    if (field.issueType) return field.issueType === type;
    return !field.afterHours || afterHoursShown();
  }

  function updateVisibility() {
    const type = issueType();
    for (const group of root.querySelectorAll("[data-kb-issue-type]")) {
      group.hidden = group.dataset.kbIssueType !== type;
    }
    root.querySelector("[data-kb-after-hours]").hidden = !afterHoursShown();
  }

  // Exactly the JSON the command line validates.
  function buildDraft() {
    const type = issueType();
    const draft = {};
    for (const field of fields) {
      if (!applies(field, type)) continue;
      const raw = rawValue(field);
      // Empty answers are left out, so the engine names each missing required field.
      if (raw === "") continue;
      draft[field.key] = toJson(field, raw);
    }
    return draft;
  }

  // Every answer, including those for other issue types: what is kept in this browser and
  // put back by an undo.
  function answers() {
    const values = {};
    for (const field of fields) {
      const raw = rawValue(field);
      if (raw !== "") values[field.key] = raw;
    }
    return values;
  }

  function fill(values) {
    for (const field of fields) setRawValue(field, Object.prototype.hasOwnProperty.call(values, field.key) ? values[field.key] : "");
    updateVisibility();
  }

  return {
    element,
    fields,
    byKey,
    trigger,
    afterHoursAsked,
    toRaw,
    canHold,
    catalogue,
    updateVisibility,
    buildDraft,
    answers,
    fill,
  };
}
