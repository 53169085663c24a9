import { useEffect, useState } from 'react';
import { api } from '../api';

interface NodesAnswer {
  readonly nodes: readonly { type: string; readme: string | null }[];
}

let help: Promise<Map<string, string>> | undefined;

/** The README of a node type, from GET /api/nodes (asked once per page load). */
export function useNodeHelp(type: string | undefined): string | undefined {
  const [readmes, setReadmes] = useState<Map<string, string> | undefined>();
  useEffect(() => {
    let live = true;
    help ??= api.get<NodesAnswer>('/api/nodes').then(
      (a) => new Map(a.nodes.filter((n) => n.readme).map((n) => [n.type, n.readme!])),
      () => {
        help = undefined;
        return new Map();
      },
    );
    void help.then((m) => live && setReadmes(m));
    return () => {
      live = false;
    };
  }, []);
  return type ? readmes?.get(type) : undefined;
}
