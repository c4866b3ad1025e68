"""pytest plugin (registered through the pytest11 entry point): fixtures provider_sim and provider_sim_server."""
