// Small helpers the page's modules share: building elements, debouncing, and the local time
// as the engine and the draft files' names want it.

// Children are appended as nodes or text, never parsed as HTML: they may hold what the user
// typed or opened.
export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

// Besides the usual delay: cancel() drops a pending call, flush() makes it now.
export function debounce(fn, ms) {
  let timer = 0;
  let pending = false;
  const run = () => {
    pending = false;
    fn();
  };
  const debounced = () => {
    clearTimeout(timer);
    pending = true;
    timer = setTimeout(run, ms);
  };
  debounced.cancel = () => {
    clearTimeout(timer);
    pending = false;
  };
  debounced.flush = () => {
    clearTimeout(timer);
    if (pending) run();
  };
  return debounced;
}

// The engine reads a time without an offset (a datetime-local answer) at the offset of the
// "now" it is given, so "now" is the user's local time with its offset, not UTC.
export function localNowIso(date = new Date()) {
  const pad = (value) => String(Math.floor(Math.abs(value))).padStart(2, "0");
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(offset / 60)}:${pad(offset % 60)}`
  );
}
