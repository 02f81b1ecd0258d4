/** Where the emulator reports problems it survives, such as a throwing event listener. */
export interface EcsEmulatorLogger {
  error(message: string, error?: unknown): void;
  debug?(message: string): void;
}

export const consoleLogger: EcsEmulatorLogger = {
  error: (message, error) => console.error(`[ecs-emulator] ${message}`, error ?? ''),
};
