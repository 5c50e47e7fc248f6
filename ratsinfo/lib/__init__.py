"""Model-free helpers shared by the domain apps."""
