/**
 * @module Delete confirmation (`/servers/:id/delete`): the no-JavaScript confirmation step.
 */
import { Form } from "../components/Form.tsx";

/** Asks before deleting a server. */
export function DeletePage({ id, name }: { id: string; name: string }) {
  const url = `/servers/${encodeURIComponent(id)}`;
  return (
    <section class="card narrow">
      <h1>Delete {name}?</h1>
      <p>
        This removes the server{" "}
        <code>{name}</code>, its environment values (including secrets) and its install image.
        Clients will no longer see its tools. This cannot be undone.
      </p>
      <Form method="post" action={`${url}/delete`} class="form-actions">
        <button type="submit" class="danger">Delete {name}</button>
        <a href={url} class="button">Cancel</a>
      </Form>
    </section>
  );
}
