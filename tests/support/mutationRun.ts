/** "1" while StrykerJS runs the tests (set by mutationHooks.ts): speed tests skip themselves. */
export const MUTATION_RUN_ENV = "ISTIO_MESH_MUTATION_RUN";
