// apps/web's loading state of /articles, so both pages stream behind the same Suspense boundary.
export { default } from "../../../../app/(protected)/articles/loading";
