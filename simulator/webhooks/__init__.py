"""Events from transitions, and their webhook deliveries."""
