"use client";

// apps/web's error boundary of /articles (a client component in both apps).
export { default } from "../../../../app/(protected)/articles/error";
