import { useEffect, useState } from 'react';

/** Whole seconds left until `expiresAt`, by the server's clock, ticking once a second. */
export function useCountdown(expiresAt: string, serverTime: string): number {
  const [left, setLeft] = useState(() => secondsLeft(expiresAt, serverTime, 0));
  useEffect(() => {
    const started = performance.now();
    const tick = () => setLeft(secondsLeft(expiresAt, serverTime, performance.now() - started));
    tick();
    const timer = setInterval(tick, 250);
    return () => clearInterval(timer);
  }, [expiresAt, serverTime]);
  return left;
}

function secondsLeft(expiresAt: string, serverTime: string, elapsedMs: number): number {
  const ms = Date.parse(expiresAt) - Date.parse(serverTime) - elapsedMs;
  return Math.max(0, Math.ceil(ms / 1000));
}

/** `18m 41s`, `0m 5s`. */
export function formatCountdown(seconds: number): string {
  return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
}
