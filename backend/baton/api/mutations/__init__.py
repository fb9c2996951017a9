"""Write side, grouped by capability; every mutation goes through `run_mutation`."""
