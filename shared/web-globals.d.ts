/**
 * The WHATWG URL class, which Node, Chromium and Electron's main process all provide. Declared
 * here because shared/ is compiled without the DOM or Node's types (it may use neither).
 */
declare class URL {
  constructor(url: string, base?: string);
  static canParse(url: string, base?: string): boolean;
  readonly origin: string;
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly hostname: string;
  readonly port: string;
  readonly pathname: string;
  readonly search: string;
  readonly hash: string;
  readonly href: string;
}

/** Timers, which Node, Chromium and Electron's main process all provide (see `URL` above). */
declare function setTimeout(handler: () => void, ms?: number): unknown;
declare function clearTimeout(timer: unknown): void;
