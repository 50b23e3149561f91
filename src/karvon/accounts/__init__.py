"""Users, the node's organisation (agencies and offices), scoped role assignments and API tokens."""
