// @ts-check
/**
 * The API reference's TypeDoc theme ("kdh-compact", loaded by lib/typedoc.json): TypeDoc's default theme
 * without the lists a page of it repeats. The reference is published beside the report pages, so its size
 * counts; every page keeps its signatures, doc comments and members, and every member stays linked:
 *   - the member summary ("index") of a class or interface page is dropped: the page's "On This Page"
 *     menu lists the same members with the same links;
 *   - an interface page's "On This Page" menu is dropped too: its preview (`interface X { a: T; ... }`,
 *     at the top of the page) lists every member, each linked to its section;
 *   - the front page's "On This Page" menu is dropped: the page itself is that list, grouped by kind.
 * A JavaScript module because TypeDoc imports plugins with plain node (no TypeScript loader).
 */
import { DefaultTheme, DefaultThemeRenderContext, ReflectionKind } from "typedoc";

export const THEME_NAME = "kdh-compact";

class CompactContext extends DefaultThemeRenderContext {
  #defaultPageNavigation = this.pageNavigation;

  /** @type {DefaultThemeRenderContext["index"]} */
  index = () => undefined;

  /** @type {DefaultThemeRenderContext["pageNavigation"]} */
  pageNavigation = (page) => {
    const model = page.model;
    const listedElsewhere = model.isProject() || (model.isDeclaration() && model.kindOf(ReflectionKind.Interface) && !!model.children?.length);
    return listedElsewhere ? undefined : this.#defaultPageNavigation(page);
  };
}

class CompactTheme extends DefaultTheme {
  ContextClass = CompactContext;
}

/** TypeDoc's plugin entry point. @param {import("typedoc").Application} app */
export function load(app) {
  app.renderer.defineTheme(THEME_NAME, CompactTheme);
}
