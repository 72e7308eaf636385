/** Public API of the gmdh area; each concept file adds its export line here. */
export {};
