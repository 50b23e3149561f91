"""Identity resolution in the node: real-time candidates, the duplicate review queue, merge and unmerge."""
