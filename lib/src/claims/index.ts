/** Public API of the claims area: claims as data and their verdicts under the significance rule. */
export * from "./judge";
