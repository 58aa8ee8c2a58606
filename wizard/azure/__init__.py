"""Everything that knows how Azure is reached: clouds, credentials, SDK clients and error hints."""
