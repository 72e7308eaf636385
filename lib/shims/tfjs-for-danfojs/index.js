// danfojs-node requires "@tensorflow/tfjs-node" (^3). That package cannot install offline, and a second
// tfjs-core copy in one process misbehaves (shared globals), so danfojs-node gets the project's own tfjs.
// Routed through a file: override rather than an npm: alias because npm then dedupes the alias with
// the real, optional @tensorflow/tfjs-node and makes that one mandatory (its failed install aborts npm).
module.exports = require("@tensorflow/tfjs");
