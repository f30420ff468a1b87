/**
 * @module Message page: not found, conflicts and other errors shown as a page.
 */

/** A title, a message and a link onwards. */
export function MessagePage(
  { title, message, link = { href: "/", label: "Back to servers" } }: {
    title: string;
    message: string;
    link?: { href: string; label: string };
  },
) {
  return (
    <section class="card narrow">
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href={link.href}>{link.label}</a>
      </p>
    </section>
  );
}
