import type { ComponentType, LazyExoticComponent } from 'react';
import type { Text } from '../../../runtime/model/text';
import type { Role } from '../api';

/** One page of the designer: a line of `routes.tsx`. */
export interface PageRoute {
  /** A react-router path: `/library`, `/instances/:id`, `/templates/*`. */
  readonly path: string;
  /** The page, lazy-loaded: `lazy(() => import('./library/library-page'))` (a default export). */
  readonly page: LazyExoticComponent<ComponentType>;
  /** Shown in the top navigation when given (`to` defaults to `path`). */
  readonly nav?: { readonly label: Text; readonly icon?: string; readonly to?: string };
  /** Who may open it; everyone signed in when absent. */
  readonly roles?: readonly Role[];
}
