/** The emulator's clock as the control API shows it. */
export interface ClockState {
  /** The current time, ISO 8601. */
  readonly now: string;
  /** Whether the clock stands still at `now` (set with `set`), rather than following real time. */
  readonly frozen: boolean;
}

/** The emulator's clock: the time of every write, token issue and expiry, and of the journal. */
export interface EmulatorClock {
  readonly now: () => Date;
  readonly state: () => ClockState;
  /** Freezes the clock at `time`; `null` follows real time again (the base clock, without any advance). */
  readonly set: (time: Date | null) => ClockState;
  /** Moves the clock by `seconds` (negative goes back), frozen or not. */
  readonly advance: (seconds: number) => ClockState;
}

/** A clock following `base` (the `now` option, or real time), which can be frozen, set and advanced. */
export function createClock(base: () => Date): EmulatorClock {
  let frozen: number | undefined;
  let offset = 0;
  const now = (): Date => new Date(frozen ?? base().getTime() + offset);
  const state = (): ClockState => ({ now: now().toISOString(), frozen: frozen !== undefined });
  return {
    now,
    state,
    set: (time) => {
      frozen = time === null ? undefined : time.getTime();
      offset = 0;
      return state();
    },
    advance: (seconds) => {
      if (frozen === undefined) offset += seconds * 1000;
      else frozen += seconds * 1000;
      return state();
    },
  };
}
