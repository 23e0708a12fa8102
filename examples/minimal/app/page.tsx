import Link from "next/link";

export default function Home() {
  return (
    <main>
      <h1>Minimal example</h1>
      <p>
        <Link href="/articles">Articles</Link> (signed-in only)
      </p>
    </main>
  );
}
