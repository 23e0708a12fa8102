"use client";

import { useEffect, useState } from "react";

function secondsUntil(targetMs: number): number {
  return Math.max(0, Math.ceil((targetMs - Date.now()) / 1000));
}

/** Whole seconds until `targetMs` (epoch ms), updated every second; 0 once it has passed. */
export function useSecondsUntil(targetMs: number): number {
  const [seconds, setSeconds] = useState(() => secondsUntil(targetMs));
  useEffect(() => {
    setSeconds(secondsUntil(targetMs));
    const timer = setInterval(() => setSeconds(secondsUntil(targetMs)), 1000);
    return () => clearInterval(timer);
  }, [targetMs]);
  return seconds;
}

/** `1 h 02 min`, `4 min 05 s`, `12 s`: short and readable for a countdown. */
export function formatDuration(totalSeconds: number): string {
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const pad = (value: number) => String(value).padStart(2, "0");
  if (hours > 0) return `${hours} h ${pad(minutes)} min`;
  if (minutes > 0) return `${minutes} min ${pad(seconds)} s`;
  return `${seconds} s`;
}
