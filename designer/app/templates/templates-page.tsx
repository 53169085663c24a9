import { Route, Routes } from 'react-router';
import { useMessages } from '../i18n/i18n';
import { templatesMessages } from './messages';
import { TemplateCreate } from './template-create';
import { TemplateEditorPage } from './template-editor-page';
import { TemplateList } from './template-list';
import './templates.css';

/** /templates/*: the list, a new template, and the authoring page of one version. */
export default function TemplatesPage() {
  useMessages('templates', templatesMessages);
  return (
    <Routes>
      <Route index element={<TemplateList />} />
      <Route path="new" element={<TemplateCreate />} />
      <Route path=":id/:version" element={<TemplateEditorPage />} />
    </Routes>
  );
}
