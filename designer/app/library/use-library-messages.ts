import { useMessages } from '../i18n/i18n';
import { libraryMessages } from './messages';

/** The library's texts (namespace "library"). */
export function useLibraryMessages() {
  return useMessages('library', libraryMessages);
}
