/**
 * What VS Code was last given for each row of a tree: the row's item, and the ids of its
 * children once it asked for them. A load that ends then fires only the rows that differ from
 * what is on screen. Firing a node makes VS Code render it and its rows again, and a click that
 * lands meanwhile runs nothing (microsoft/vscode#153982): a tree that fired on every live change
 * of a cluster lost clicks on rows that had not changed. Free of editor APIs.
 */
import type { ItemSpec } from './statusTreeItems';

/** A node as it would be shown now; `children` undefined when showing them would start a load. */
export interface RowNow {
  readonly item: ItemSpec;
  readonly children?: readonly string[];
}

/** Children that can no longer match what is shown (see forget). */
const GONE = 'gone';

export class ShownRows {
  private readonly items = new Map<string, string>();
  private readonly children = new Map<string, string>();

  /** `spec` is handed to VS Code as the row of `id`. */
  item(id: string, spec: ItemSpec): ItemSpec {
    this.items.set(id, JSON.stringify(spec));
    return spec;
  }

  /** `nodes` are handed to VS Code as the children of `id`. */
  childrenOf<T extends { readonly id: string }>(id: string, nodes: T[]): T[] {
    this.children.set(id, JSON.stringify(nodes.map((node) => node.id)));
    return nodes;
  }

  /**
   * `id`'s node is gone. Its parent's children no longer match what is shown, even if a node of
   * the same id comes back: VS Code still holds the old object and ignores the new one until
   * the parent is rendered again.
   */
  forget(id: string, parentId?: string): void {
    this.items.delete(id);
    this.children.delete(id);
    if (parentId !== undefined && this.children.has(parentId)) {
      this.children.set(parentId, GONE);
    }
  }

  /**
   * The ids to fire so that the screen shows what `now` says, starting at `id`: the node itself
   * when its row or its list of children changed (VS Code then asks for its children again),
   * else those of its shown children that changed. None when the node is not on screen.
   */
  changed(id: string, now: (id: string) => RowNow | undefined): string[] {
    const shownItem = this.items.get(id);
    const current = now(id);
    if (shownItem === undefined || current === undefined) return [];
    if (JSON.stringify(current.item) !== shownItem) return [id];
    const shownChildren = this.children.get(id);
    if (shownChildren === undefined) return [];
    if (current.children === undefined || JSON.stringify(current.children) !== shownChildren) {
      return [id];
    }
    return current.children.flatMap((child) => this.changed(child, now));
  }
}
