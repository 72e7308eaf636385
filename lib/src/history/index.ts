/** Public API of the history area; each concept file adds its export line here. */
export {};
