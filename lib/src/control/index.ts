/** Public API of the control area: the cart-pole, its expert, episodes, behavioural cloning and BCO. */
export * from "./cartpole";
export * from "./expert";
export * from "./episodes";
export * from "./policy-network";
export * from "./cloning";
export * from "./bco";
export * from "./cloning-study";
export * from "./claims";
export * from "./catalog-entry";
