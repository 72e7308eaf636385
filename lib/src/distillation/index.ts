/** Public API of the distillation area; each concept file adds its export line here. */
export {};
