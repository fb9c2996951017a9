"""Write side, grouped by capability; every mutation is declared with `api.mutation.mutation`
(what it needs, takes and returns, and its one domain call) and runs through `run_mutation`."""
