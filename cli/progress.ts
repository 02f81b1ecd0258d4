/** The line that shows what a wait is waiting for, on stderr so that stdout stays the answer. */

export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgressLine {
  /** What it is waiting on now, e.g. `waiting for 65f... to be running: starting`. */
  update(state: string): void;
  /** Ends the line; nothing more is written. */
  done(): void;
}

/**
 * On a terminal, one line redrawn every second with the time waited. Elsewhere (a pipe, a log
 * file), a new line only when the state changes, so that logs do not fill with redraws.
 */
export function progressLine(stream: ProgressStream, now: () => number = Date.now): ProgressLine {
  const started = now();
  let state: string | undefined;
  let written = false;
  const render = () => {
    if (state === undefined) return;
    stream.write(`\r\x1b[2K${state} (${Math.floor((now() - started) / 1000)} s)`);
    written = true;
  };
  const timer = stream.isTTY ? setInterval(render, 1000) : undefined;
  timer?.unref();
  return {
    update(next) {
      if (next === state) return;
      state = next;
      if (stream.isTTY) render();
      else stream.write(`${next} (${Math.floor((now() - started) / 1000)} s)\n`);
    },
    done() {
      clearInterval(timer);
      if (stream.isTTY && written) stream.write('\r\x1b[2K');
    },
  };
}
