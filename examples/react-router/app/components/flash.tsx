/** The flash message an action left for this page, if any: shown once. */
export function Flash({ message }: { message: string | undefined }) {
  return message === undefined ? null : (
    <p id="flash" role="status">
      {message}
    </p>
  );
}
