export default function EditorPage() {
  return <section className="page" />;
}
