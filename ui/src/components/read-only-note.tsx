/** Said next to anything that comes from the configuration file. */
export function ReadOnlyNote({ subject }: { subject: string }) {
  return (
    <p class="note" role="note">
      {subject} come from the configuration file: read-only here. Edit the file, then reload it (Settings).
    </p>
  );
}
